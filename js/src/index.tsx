// anywidget entry. `initialize` runs once per model and opens the session (so media the kernel pushes
// before a view exists is kept); `render` mounts the Preact app into one view and returns its cleanup.
// Only the default export: anywidget warns that named `render` exports will be deprecated.

import { render as preactRender } from "preact";
import { App } from "./App";
import type { WidgetModel } from "./protocol";
import { acquireSession, type SessionOptions } from "./session";
import "./styles.css";

function initialize({ model }: { model: WidgetModel }): () => void {
  const [, release] = acquireSession(model);
  return release;
}

function render({ model, el }: { model: WidgetModel; el: HTMLElement }, options?: SessionOptions): () => void {
  const [session, release] = acquireSession(model, options);
  preactRender(<App model={model} session={session} />, el);
  return () => {
    preactRender(null, el);
    release();
  };
}

export default { initialize, render };
