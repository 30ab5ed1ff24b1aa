// Every tag of Label Studio's config language, and where it lives in this front end.
//
// The kernel's tag table (labelnb/config/tags.py, TAGS) and this registry list the same tags: a test fails
// when Python knows a tag that is missing here. A tag's home is the module that renders it, "kernel" for a
// tag the kernel resolves before the browser sees the config, or NOT_YET for a tag this version cannot show
// (the widget then shows a note, and the kernel refuses to submit such a task empty).

export const NOT_YET = "not yet";
export const KERNEL = "kernel";

export type TagHome = string;

export const TAG_HOMES: Readonly<Record<string, TagHome>> = {
  // objects: show task data
  Image: "objects/image/Image.tsx",
  Text: "objects/text/Text.tsx",
  HyperText: "objects/hypertext/HyperText.tsx",
  Paragraphs: "objects/paragraphs/Paragraphs.tsx",
  Audio: NOT_YET,
  AudioPlus: NOT_YET,
  Video: NOT_YET,
  TimeSeries: NOT_YET,
  Table: "objects/Table.tsx",
  List: "objects/List.tsx",
  Pdf: "objects/pdf/Pdf.tsx",
  Chat: "objects/Chat.tsx",
  // controls: make result items
  Choices: "controls/choices.tsx",
  TextArea: "controls/textarea.tsx",
  Rating: "controls/rating.tsx",
  Number: "controls/number.tsx",
  Taxonomy: "controls/taxonomy.tsx",
  Labels: "controls/labels.tsx", // on images (labels for the bare tools) and on Text and HyperText (spans)
  RectangleLabels: "controls/labels.tsx",
  Rectangle: "controls/labels.tsx",
  PolygonLabels: "controls/labels.tsx",
  Polygon: "controls/labels.tsx",
  EllipseLabels: "controls/labels.tsx",
  Ellipse: "controls/labels.tsx",
  KeyPointLabels: "controls/labels.tsx",
  KeyPoint: "controls/labels.tsx",
  BrushLabels: "controls/labels.tsx",
  Brush: "controls/labels.tsx",
  BitmaskLabels: "controls/labels.tsx",
  Bitmask: "controls/labels.tsx",
  VectorLabels: "controls/labels.tsx",
  Vector: "controls/labels.tsx",
  MagicWand: NOT_YET,
  OcrLabels: "controls/labels.tsx", // boxes on a Pdf page, drawn by the image surface
  HyperTextLabels: "controls/labels.tsx", // spans of a HyperText, as Labels on Text
  ParagraphLabels: "controls/labels.tsx", // spans of a Paragraphs object, as Labels on Text
  TimeSeriesLabels: NOT_YET,
  TimelineLabels: NOT_YET,
  VideoRectangle: NOT_YET,
  DateTime: "controls/datetime.tsx",
  Pairwise: "controls/pairwise.tsx",
  Ranker: "controls/ranker.tsx",
  Relations: "panels/RegionList.tsx",
  // layout and decoration
  View: "objects/View.tsx",
  Header: "objects/Header.tsx",
  Style: "objects/Style.tsx", // applied to its widget only (objects/styleScope.ts)
  Filter: "objects/Filter.tsx",
  Collapse: "objects/Collapse.tsx",
  Panel: "objects/Collapse.tsx", // inside its Collapse
  Markdown: "objects/Markdown.tsx",
  Repeater: KERNEL, // expanded into copies of its children by the kernel (LabelConfig.for_task)
  // children, at home with their owner
  Choice: "controls/choices.tsx",
  Label: "controls/labels.tsx",
  Relation: "panels/RegionList.tsx",
  Bucket: "controls/ranker.tsx",
  Shortcut: NOT_YET,
  Channel: NOT_YET,
  MultiChannel: NOT_YET,
};

/** Where `tag` lives, or undefined for a tag Label Studio does not have. */
export function tagHome(tag: string): TagHome | undefined {
  return Object.prototype.hasOwnProperty.call(TAG_HOMES, tag) ? TAG_HOMES[tag] : undefined;
}

/** True when this version renders `tag` (or resolves it before the browser sees it). */
export function isShown(tag: string): boolean {
  const home = tagHome(tag);
  return home !== undefined && home !== NOT_YET;
}
