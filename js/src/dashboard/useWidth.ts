import type { RefObject } from "preact";
import { useEffect, useState } from "preact/hooks";

/** The element's content width in CSS pixels, following resizes (`fallback` until it is known). */
export function useWidth(ref: RefObject<HTMLElement>, fallback = 560): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = el.clientWidth;
      if (w > 0) setWidth(Math.floor(w));
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
