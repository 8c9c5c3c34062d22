"""Whether this service keeps journeys (``indexer.journey``): WFV_JOURNEY_RETENTION_DAYS=0
keeps none, and every position change then writes the position alone."""

from service.uow import UnitOfWork


def kept(uow: UnitOfWork) -> bool:
    """True unless the operator turned the journey off."""
    return uow.services.settings.journey_retention_days > 0
