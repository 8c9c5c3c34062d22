/**
 * A button that changes a live workflow: it opens a dialog saying what will happen, and only
 * the dialog's own button acts. When the token cannot edit it is disabled, described by
 * the panel's sentence saying why.
 */
import { type ReactNode, useState } from "react";

import { Button } from "../components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "../components/ui/dialog";

export interface ConfirmButtonProps {
  label: string;
  title: string;
  children: ReactNode;
  onConfirm: () => void;
  /** The id of the sentence saying why the button is disabled; absent when it is not. */
  refusedBy: string | null;
  busy: boolean;
  destructive?: boolean;
  /** Checked before the dialog opens (a form's fields): false keeps it closed. */
  check?: () => boolean;
}

export function ConfirmButton({ label, title, children, onConfirm, refusedBy, busy, destructive, check }: ConfirmButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={(next) => setOpen(next && (check ? check() : true))}>
      <DialogTrigger asChild>
        <Button
          variant={destructive ? "destructive" : "outline"}
          disabled={refusedBy !== null || busy}
          {...(refusedBy ? { "aria-describedby": refusedBy } : {})}
        >
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{children}</DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            variant={destructive ? "destructive" : "default"}
            onClick={() => {
              setOpen(false);
              onConfirm();
            }}
          >
            {label}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
