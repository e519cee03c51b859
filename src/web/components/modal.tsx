import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it and the rest of the
 * page is inert while it is open.
 */
export function Modal(props: { open: boolean; title: string; onClose: () => void; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (props.open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!props.open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
    }
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className={`modal ${props.className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.open ? (
        <>
          <header className="modal-header">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={props.onClose}>
              ✕
            </button>
          </header>
          <div className="modal-body">{props.children}</div>
        </>
      ) : null}
    </dialog>
  );
}

/** A question in a Modal: what the action does, Cancel, and the action (focused first, so Enter confirms). */
export function ConfirmModal(props: { open: boolean; title: string; confirmLabel: string; onClose: () => void; onConfirm: () => void; children: ReactNode }) {
  return (
    <Modal open={props.open} title={props.title} onClose={props.onClose}>
      {props.children}
      <div className="form-actions">
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="button button-primary" autoFocus onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
