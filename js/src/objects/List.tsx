// <List name value="$items" title>: a list of items from the task data (objects with `id`, `title`, `body`,
// optionally `html`). A <Ranker> on it shows the items itself, as a board it reorders (controls/ranker.tsx),
// so the List then shows nothing, as in Label Studio (tags/object/List.jsx); alone it shows its items read-only.
// Each item is laid out as Label Studio's, so a config's <Style> for `.htx-ranker-column` and
// `.htx-ranker-item` (and `p:last-child`, which the gallery templates hide the id line with) applies:
// the title as a heading, the body as text, the `html` only through the one sanitiser profile, then the id.

import type { ComponentChildren } from "preact";
import { asText, attr, resolveValue } from "../config";
import { useLabel } from "../context";
import type { ViewNode } from "../protocol";
import { innerHtml } from "../sanitize";
import { listItems, type RankerItem } from "../schema/ranker";

/** One item's content, as Label Studio lays it out (the title, the body, the sanitised html, the id). */
export function ListItemContent({ item }: { item: RankerItem }) {
  const title = asText(item.title);
  const body = asText(item.body);
  const html = typeof item.html === "string" ? item.html : "";
  return (
    <div class="lnb-list-content">
      {title && <h3 class="itemTitle lnb-list-title">{title}</h3>}
      {body && <p class="itemLine lnb-list-line">{body}</p>}
      {html && <p class="itemLine lnb-list-line" dangerouslySetInnerHTML={innerHtml(html)} />}
      <p class="itemLine lnb-list-line lnb-list-id">{item.id}</p>
    </div>
  );
}

/** A column of items with its heading (Label Studio's `.htx-ranker-column`). */
export function ListColumn({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <div class="lnb-list-column htx-ranker-column" data-column={id}>
      <h4 class="lnb-list-heading">{title}</h4>
      <div class="lnb-list-drop" data-drop={id}>
        {children}
      </div>
    </div>
  );
}

export function List({ node }: { node: ViewNode }) {
  const { data, model } = useLabel();
  const name = attr(node, "name") ?? "";
  const ranked = model.controls.some((c) => c.tag === "Ranker" && c.to_name.includes(name));
  if (ranked) return null;
  const items = Object.values(listItems(resolveValue(attr(node, "value"), data)));
  return (
    <div class="lnb-list lnb-ranker-board" data-list={name}>
      <ListColumn id={name} title={attr(node, "title") ?? ""}>
        {items.map((item) => (
          <div key={item.id} class="lnb-list-item htx-ranker-item" data-item={item.id}>
            <ListItemContent item={item} />
          </div>
        ))}
      </ListColumn>
    </div>
  );
}
