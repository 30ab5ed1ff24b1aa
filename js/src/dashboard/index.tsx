// anywidget entry of the dashboard (labelnb/widget/dashboard.py): `render` mounts the Preact app into one
// view and returns its cleanup. Only the default export, as in ../index.tsx.

import { render as preactRender } from "preact";
import type { WidgetModel } from "../protocol";
import { Dashboard } from "./Dashboard";
import "./dashboard.css";

function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  preactRender(<Dashboard model={model} />, el);
  return () => preactRender(null, el);
}

export default { render };
