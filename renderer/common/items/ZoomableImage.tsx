/**
 * An image in a thread that opens full screen on tap or click (docs/mobile.md, "tap to
 * zoom"). The viewer is a native modal <dialog>: it sits in the top layer above the phone's
 * fixed bars, the page behind is inert, Escape closes it (the dialog's `cancel`), and so do the
 * close button and a tap on the dark area around the picture. The picture starts fitted to the
 * screen; a tap on it shows it at its natural size inside a scroller that pans with a finger or
 * a wheel, and another tap fits it again. Pinch zoom is the browser's own (the app never
 * disables it), so it behaves like any picture on the web.
 */
import { useEffect, useRef, useState } from 'react';
import { Icon } from '../views/Icon';

export function ZoomableImage({ src, alt }: { readonly src: string; readonly alt: string }) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={trigger} type="button" className="image-zoom-trigger" aria-label={`Enlarge ${alt}`} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <img src={src} alt={alt} />
      </button>
      {open ? (
        <ImageViewer
          src={src}
          alt={alt}
          onClose={() => {
            setOpen(false);
            trigger.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

function ImageViewer({ src, alt, onClose }: { readonly src: string; readonly alt: string; readonly onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [natural, setNatural] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    // jsdom and very old browsers have no modal part; `open` is then enough to show it.
    if (typeof d.showModal === 'function') d.showModal();
    else d.setAttribute('open', '');
    return () => {
      if (d.open && typeof d.close === 'function') d.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="image-viewer"
      aria-label={alt}
      data-testid="image-viewer"
      data-zoom={natural ? 'natural' : 'fit'}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        // Where the dialog is not modal (no showModal), Escape still closes it.
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
      onClick={(e) => {
        // The dialog itself (not the picture or a button) is the dark area around the picture.
        if (e.target === e.currentTarget || (e.target as HTMLElement).classList.contains('image-viewer-scroll')) onClose();
      }}
    >
      <div className="image-viewer-scroll">
        <button type="button" className="image-viewer-picture" aria-label={natural ? 'Fit to screen' : 'Show at full size'} aria-pressed={natural} onClick={() => setNatural(!natural)}>
          <img src={src} alt={alt} />
        </button>
      </div>
      <button type="button" className="image-viewer-close" aria-label="Close" autoFocus onClick={onClose}>
        <Icon name="x" />
      </button>
    </dialog>
  );
}
