// Object and visual tags this version renders, by canonical tag name.

import type { FunctionComponent } from "preact";
import type { ViewNode } from "../protocol";
import { Chat } from "./Chat";
import { Collapse } from "./Collapse";
import { Filter } from "./Filter";
import { Header } from "./Header";
import { HyperText } from "./hypertext/HyperText";
import { Image } from "./image/Image";
import { List } from "./List";
import { Markdown } from "./Markdown";
import { Paragraphs } from "./paragraphs/Paragraphs";
import { Pdf } from "./pdf/Pdf";
import { Style } from "./Style";
import { Table } from "./Table";
import { Text } from "./text/Text";
import { View } from "./View";

export const OBJECTS: Readonly<Record<string, FunctionComponent<{ node: ViewNode }>>> = {
  View,
  Text,
  HyperText,
  Paragraphs,
  Image,
  Pdf,
  Header,
  Style,
  Markdown,
  Table,
  Collapse,
  Chat,
  List,
  Filter,
};

/** Tags that render nothing on purpose (none at present: <Style> is applied, scoped to its widget). */
export const IGNORED = new Set<string>();

export function objectComponent(tag: string | undefined): FunctionComponent<{ node: ViewNode }> | undefined {
  return tag !== undefined && Object.prototype.hasOwnProperty.call(OBJECTS, tag) ? OBJECTS[tag] : undefined;
}
