// The widget rendered into a fresh element of the test page, on a FakeModel holding `attrs`.

import { act } from "preact/test-utils";
import widget from "../src/index";
import { FakeModel } from "./fakeModel";

export interface Mounted {
  model: FakeModel;
  el: HTMLElement;
  /** unrender and take the element away */
  unmount(): void;
}

export function mountWidget(attrs: Record<string, unknown>): Mounted {
  const model = new FakeModel(attrs);
  const el = document.createElement("div");
  document.body.append(el);
  let cleanup: (() => void) | undefined;
  act(() => {
    cleanup = widget.render({ model, el }, { createObjectURL: () => "blob:x", revokeObjectURL: () => undefined });
  });
  return {
    model,
    el,
    unmount() {
      act(() => cleanup?.());
      el.remove();
    },
  };
}
