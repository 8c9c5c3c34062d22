"""The shape of the code, checked from its syntax (``ast``; nothing is imported), so the
rules of docs/architecture.md stay true as the code grows:

- the packages are layers: ``schemas`` imports nothing of ours, ``repo_store`` and
  ``indexer`` only ``schemas`` (never each other), the use cases in ``service`` never the
  task queue (``tasks``) or the HTTP layer (``service.api``, ``service.api.app``,
  ``service.cli``), which sit above them;
- no two modules import each other, however indirectly (imports made only for type
  checking and imports inside functions count too: a cycle is a cycle to a reader);
- only the unit of work commits: no session, connection or engine transaction is begun or
  committed elsewhere in ``service`` or ``tasks``;
- route modules call use cases: they import neither SQLAlchemy nor ``indexer``;
- every SQL statement is built in ``indexer``: ``service`` imports from SQLAlchemy only
  what runs or types a statement built there (sessions, engines, rows, errors), never
  what builds one (``select``, ``update``, ``func``, ``text``, ``or_``, ``defer``, ...);
- settings are read when a process starts, never when a module is imported;
- an execution's position is written only by ``indexer/journey.py``, which writes its
  journey row in the same statements.
"""

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("schemas", "repo_store", "indexer", "service", "tasks")
# What each package may import of ours (besides itself).
ALLOWED = {
    "schemas": set(),
    "repo_store": {"schemas"},
    "indexer": {"schemas"},
    "service": {"schemas", "repo_store", "indexer", "tasks"},
    "tasks": {"schemas", "repo_store", "indexer", "service"},
}
# The HTTP and command-line layer: it builds the app and the processes, so it may reach
# the queue; nothing below it may reach it, or the queue.
ENTRY = ("service.api", "service.cli")
ROUTES = "service/api/routes"
UNIT_OF_WORK = "service/uow.py"
TRANSACTION_HOLDERS = ("session", "conn", "connection", "engine")
# What service/ may import of SQLAlchemy, by module (None: the whole module). An allow-list,
# not a list of builders: SQLAlchemy has hundreds of those (``select``, ``func``,
# ``tuple_``, ``defer``, ``aliased``...), and a new one must not slip past the rule.
SQL_RUNNERS: dict[str, set[str] | None] = {
    "sqlalchemy": {"Engine", "Connection", "Row", "Result", "exc", "types"},
    "sqlalchemy.engine": {"Engine", "Connection", "Row", "Result"},
    "sqlalchemy.orm": {"Session", "sessionmaker"},
    "sqlalchemy.exc": None,
    "sqlalchemy.types": None,
}


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module


def _modules() -> dict[str, Module]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "schema" in path.relative_to(ROOT).parts[:2] and package == "indexer":
                continue  # Alembic's revisions are scripts run by Alembic, not modules
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join(parts)
            found[name] = Module(name, path, ast.parse(path.read_text(), str(path)))
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module of ours that ``name`` (a module or a name inside one) is, if any."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: Module) -> Iterator[tuple[str, int]]:
    """Every module of ours ``module`` imports, with the line."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name)
                if target:
                    yield target, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                target = full if full in MODULES else _resolve(node.module)
                if target:
                    yield target, node.lineno


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module in MODULES.values():
        for target, _line in _imports(module):
            if target != module.name:
                graph[module.name].add(target)
    return graph


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_each_package_imports_only_the_layers_below_it() -> None:
    wrong = []
    for module in MODULES.values():
        package = module.name.split(".")[0]
        for target, line in _imports(module):
            other = target.split(".")[0]
            if other != package and other not in ALLOWED[package]:
                wrong.append(f"{module.path.relative_to(ROOT)}:{line} imports {target}")
            below_entry = package == "service" and not _within(module.name, ENTRY)
            if below_entry and (other == "tasks" or _within(target, ENTRY)):
                wrong.append(f"{module.path.relative_to(ROOT)}:{line} (a use case) imports {target}")
    assert wrong == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(MODULES):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_two_modules_import_each_other() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    """The check itself: a made-up pair importing each other is found."""
    graph: dict[str, set[str]] = defaultdict(set, {"service.uow": {"service.container"}})
    graph["service.container"] = {"service.uow"}
    assert _cycles(graph) == [["service.container", "service.uow"]]


def _holder(call: ast.Call) -> str:
    assert isinstance(call.func, ast.Attribute)
    return ast.unparse(call.func.value).rsplit(".", 1)[-1].lstrip("_").lower()


def test_only_the_unit_of_work_begins_or_commits_a_transaction() -> None:
    wrong = []
    for module in MODULES.values():
        relative = module.path.relative_to(ROOT).as_posix()
        if not relative.startswith(("service/", "tasks/")) or relative == UNIT_OF_WORK:
            continue
        for node in ast.walk(module.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr in {"commit", "begin"} and _holder(node).endswith(TRANSACTION_HOLDERS):
                wrong.append(f"{relative}:{node.lineno} {ast.unparse(node)}")
    assert wrong == []


JOURNEY = "indexer/journey.py"
POSITION_WRITERS = {"insert", "update"}


def test_only_the_journey_module_writes_executions() -> None:
    """``insert(Execution)`` or ``update(Execution)`` anywhere else would move a contact
    without a journey row (``docs/architecture.md``, invariants)."""
    wrong = []
    for module in MODULES.values():
        relative = module.path.relative_to(ROOT).as_posix()
        if relative == JOURNEY or relative.startswith("tests/"):
            continue
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in POSITION_WRITERS
                and any(isinstance(arg, ast.Name) and arg.id == "Execution" for arg in node.args)
            ):
                wrong.append(f"{relative}:{node.lineno} {ast.unparse(node)}")
    assert wrong == []


def test_route_modules_call_use_cases_not_the_index() -> None:
    wrong = []
    for path in sorted((ROOT / ROUTES).glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            wrong += [
                f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
                for name in names
                if name.split(".")[0] in {"sqlalchemy", "indexer"}
            ]
    assert wrong == []


def _sql_builders(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """What ``tree`` imports of SQLAlchemy beyond ``SQL_RUNNERS``, with the line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root == "sqlalchemy" and SQL_RUNNERS.get(alias.name, set()) is not None:
                    yield alias.name, node.lineno  # ``import sqlalchemy`` reaches every builder
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sqlalchemy":
            allowed = SQL_RUNNERS.get(node.module, set())
            for alias in node.names:
                if allowed is not None and alias.name not in allowed:
                    yield f"{node.module}.{alias.name}", node.lineno


def test_service_builds_no_sql() -> None:
    """Queries live in ``indexer`` (a function taking the session and the tenant): a use
    case that builds its own statement hides a read from the module a reviewer checks for
    tenant filters, locks and indexes."""
    wrong = [
        f"{module.path.relative_to(ROOT)}:{line} imports {name}"
        for module in MODULES.values()
        if module.name.split(".")[0] == "service"
        for name, line in _sql_builders(module.tree)
    ]
    assert wrong == []


def test_the_sql_rule_tells_builders_from_runners() -> None:
    """The check itself: sessions, engines and errors pass; builders, however imported, do not."""
    source = """
import sqlalchemy.exc
from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session, defer
from sqlalchemy import select as pick, text
import sqlalchemy
"""
    found = [name for name, _line in _sql_builders(ast.parse(source))]
    assert found == ["sqlalchemy.orm.defer", "sqlalchemy.select", "sqlalchemy.text", "sqlalchemy"]


def test_a_function_given_an_open_unit_never_commits_it() -> None:
    """The transaction convention: a function with a ``uow`` parameter works inside its
    caller's transaction (the caller commits); one that owns its transactions takes the
    ``container`` and opens its own units."""
    wrong = []
    for module in MODULES.values():
        for function in ast.walk(module.tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            arguments = function.args.args + function.args.kwonlyargs
            if "uow" not in {argument.arg for argument in arguments}:
                continue
            wrong += [
                f"{module.path.relative_to(ROOT)}:{call.lineno} {function.name} commits the unit it was given"
                for call in ast.walk(function)
                if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "commit"
                and ast.unparse(call.func.value) == "uow"
            ]
    assert wrong == []


class _ImportTimeCalls(ast.NodeVisitor):
    """Lines where ``callee(...)`` runs when the module is imported: everything but the
    bodies of functions and lambdas (their decorators and defaults run at import too)."""

    def __init__(self, callee: str) -> None:
        self.callee = callee
        self.lines: list[int] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for part in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if part is not None:
                self.visit(part)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for part in [*node.args.defaults, *node.args.kw_defaults]:
            if part is not None:
                self.visit(part)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == self.callee:
            self.lines.append(node.lineno)
        self.generic_visit(node)


def _import_time_calls(tree: ast.Module, callee: str) -> list[int]:
    finder = _ImportTimeCalls(callee)
    finder.visit(tree)
    return finder.lines


def test_nothing_reads_the_settings_at_import() -> None:
    """Settings are read when a process starts (``wfv serve``/``wfv worker`` configure the
    queue, the schedules and the container from them), never when a module is imported: a
    module that froze them at import would serve one process's environment to another and
    make tests set the environment before their first import."""
    wrong = [
        f"{module.path.relative_to(ROOT)}:{line}"
        for module in MODULES.values()
        if module.name.split(".")[0] in ("service", "tasks")
        for line in _import_time_calls(module.tree, "Settings")
    ]
    assert wrong == []


def test_the_import_time_rule_sees_decorators_and_skips_bodies() -> None:
    source = """
a = Settings()
@task(every(Settings().minutes))
def f():
    @inner(Settings())
    def g():
        return Settings()
    return Settings()
h = lambda: Settings()
"""
    assert _import_time_calls(ast.parse(source), "Settings") == [2, 3]
