// The analysed control model the kernel sends in the `controls` trait: labelnb/config/control_model.py
// (LabelConfig.for_task(data).control_model()) works out every rule about the config's controls (labels with
// colours and hotkeys, choice modes and layout, required and its message, perRegion, limits, visibility
// rules, shape attributes) so the browser reads them here instead of re-deriving them from attribute text.
// Field names are the JSON's, snake_case. Values are typed; an attribute left out has Label Studio's default.

/** Bumped by the kernel when the shape changes (labelnb.config.control_model.MODEL_VERSION). */
export const MODEL_VERSION = 1;

/** A `visibleWhen` rule (mixins/Visibility.js), or `whenChoiceValue` alone (rule "choice-selected"). */
export interface VisibilityRule {
  rule: "region-selected" | "no-region-selected" | "choice-selected" | "choice-unselected" | string;
  /** whenTagName: the control the rule looks at (null: any) */
  tag_name: string | null;
  /** region-selected: the labels (whenLabelValue, split on ",") of which the region must carry one */
  label_values?: string[] | null;
  /** region-selected: whenRole, split on "," */
  role_values?: string[] | null;
  /** choice-selected / choice-unselected: the controls whose selection counts */
  controls?: string[];
  /** whenChoiceValue, split on "," (null: any selection counts) */
  choice_values?: string[] | null;
  /** the result labels (alias or value) whenChoiceValue names (null: any selection counts) */
  choice_labels?: string[] | null;
}

/** One option of a control: a Label, a Choice (path/depth/selectable/style) or a Relation (value, color). */
export interface LabelSpec {
  value: string | null;
  alias: string | null;
  /** what goes into the result: alias, else value */
  label: string | null;
  color?: string | null;
  hotkey?: string | null;
  /** true when Label Studio's automatic numbering gave the hotkey (1234567890qwe...) */
  hotkey_auto?: boolean;
  hint?: string | null;
  html?: string | null;
  selected?: boolean;
  // Label
  selected_color?: string;
  max_usages?: number | null;
  show_alias?: boolean;
  alias_style?: string;
  size?: string;
  granularity?: string | null;
  category?: string | null;
  // Choice
  /** the result labels from the outermost Choice down to this one */
  path?: string[];
  depth?: number;
  selectable?: boolean;
  style?: string | null;
}

/** The empty label a Labels control with allowEmpty="true" puts first. */
export interface EmptyLabelSpec {
  color: string;
  hotkey: string | null;
  hotkey_auto: boolean;
}

/** A TextArea's <Shortcut>. */
export interface ShortcutSpec {
  value: string | null;
  alias: string | null;
  background: string;
  hotkey: string | null;
  hotkey_auto: boolean;
}

/** A Ranker's <Bucket>. */
export interface BucketSpec {
  name: string | null;
  title: string | null;
  default: boolean;
}

export interface ControlSpec {
  name: string;
  tag: string;
  /** the result type (e.g. "choices", "rectanglelabels", "relation") */
  type: string;
  to_name: string[];
  to_name_implied: boolean;
  /** index path of the node in the view tree */
  path: number[];
  /** indexes into ControlModel.views of the enclosing tags with a rule, outermost first */
  views: number[];
  visible_when: VisibilityRule | null;
  required: boolean;
  required_message: string | null;
  per_region: boolean;
  per_item: boolean;
  per_region_label_value: string | null;
  hotkey: string | null;
  hotkey_auto: boolean;
  dynamic_labels: boolean;
  value_key: string | null;

  /** Labels, *Labels, Choices, Taxonomy, Relations */
  labels?: LabelSpec[];
  choice?: "single" | "single-radio" | "multiple" | string;
  /** the default result: labels (Choices, Labels) or paths (Taxonomy, nested Choices) */
  preselected?: (string | null)[] | (string | null)[][];
  // Choices
  layout?: "vertical" | "inline" | "select";
  allow_nested?: boolean;
  // Labels family
  max_usages?: number | null;
  show_inline?: boolean;
  allow_empty?: boolean;
  empty_label?: EmptyLabelSpec | null;
  // shapes
  opacity?: number | null;
  fill_color?: string | null;
  stroke_width?: number | null;
  stroke_color?: string | null;
  fill_opacity?: number | null;
  can_rotate?: boolean;
  snap?: string;
  point_size?: string;
  point_style?: string;
  closable?: boolean;
  curves?: boolean;
  min_points?: number | null;
  max_points?: number | null;
  skeleton?: boolean;
  point_size_enabled?: number | null;
  point_size_disabled?: number | null;
  blur_radius?: number | null;
  default_threshold?: number | null;
  smart?: boolean;
  smart_only?: boolean;
  // Taxonomy
  leafs_only?: boolean;
  show_full_path?: boolean;
  path_separator?: string;
  placeholder?: string | null;
  min_width?: string | null;
  max_width?: string | null;
  dropdown_width?: string | null;
  legacy?: boolean;
  labeling?: boolean;
  api_url?: string | null;
  // Number, DateTime
  min?: number | string | null;
  max?: number | string | null;
  step?: number | null;
  default_value?: number | null;
  slider?: boolean;
  // Rating
  max_rating?: number;
  size?: string;
  icon?: string;
  // DateTime
  format?: string | null;
  only?: string | null;
  show_date?: boolean;
  show_time?: boolean;
  only_time?: boolean;
  show_month?: boolean;
  show_year?: boolean;
  // TextArea
  value?: string | null;
  label?: string;
  rows?: number | null;
  max_submissions?: number | null;
  editable?: boolean;
  skip_duplicates?: boolean;
  transcription?: boolean;
  allow_submit?: boolean;
  show_submit_button?: boolean;
  display_mode?: "tag" | "region-list" | string;
  shortcuts?: ShortcutSpec[];
  // Pairwise
  selection_style?: string | null;
  left_class?: string | null;
  right_class?: string | null;
  // Ranker
  buckets?: BucketSpec[];
}

export interface ObjectSpec {
  name: string;
  tag: string;
  value: string;
  value_key: string | null;
  value_list: boolean;
  value_type: string | null;
  path: number[];
  views: number[];
  hotkey: string | null;
  hotkey_auto: boolean;
  // Chat
  message_roles?: string[];
  editable_roles?: string[];
  min_messages?: number | null;
  max_messages?: number | null;
  llm?: string | null;
  // Image
  zoom?: boolean;
  negative_zoom?: boolean;
  zoom_by?: number;
  zoom_control?: boolean;
  brightness_control?: boolean;
  contrast_control?: boolean;
  rotate_control?: boolean;
  crosshair?: boolean;
  selection_control?: boolean;
  grid?: boolean;
  grid_size?: number;
  grid_color?: string;
  smoothing?: boolean | null;
  show_labels?: boolean | null;
  width?: string;
  height?: string | null;
  max_width?: string;
  max_height?: string;
  horizontal_alignment?: "left" | "center" | "right";
  vertical_alignment?: "top" | "center" | "bottom";
  default_zoom?: "auto" | "original" | "fit";
  cross_origin?: "none" | "anonymous" | "use-credentials";
  // Text, HyperText
  selection_enabled?: boolean;
  highlight_color?: string | null;
  granularity?: "symbol" | "word" | "sentence" | "paragraph";
  encoding?: "none" | "base64" | "base64unicode";
  inline?: boolean;
  clickable_links?: boolean;
}

/** A View or Markdown with a visibility rule. */
export interface ViewSpec {
  tag: string;
  path: number[];
  visible_when: VisibilityRule;
  views: number[];
}

export interface FilterSpec {
  name: string | null;
  to_name: string[];
  placeholder: string;
  min_length: number | null;
  path: number[];
  hotkey: string | null;
  hotkey_auto: boolean;
}

export interface ControlModel {
  version: number;
  /** every control but Relations, in document order */
  controls: ControlSpec[];
  relations: ControlSpec | null;
  objects: ObjectSpec[];
  views: ViewSpec[];
  filters: FilterSpec[];
}

/** The model of a config without controls (and what the `controls` trait's `{}` reads as). */
export const EMPTY_MODEL: ControlModel = Object.freeze({
  version: MODEL_VERSION,
  controls: [],
  relations: null,
  objects: [],
  views: [],
  filters: [],
}) as ControlModel;

/** The `controls` trait as a ControlModel: `{}` (no task) or anything malformed reads as EMPTY_MODEL. */
export function asControlModel(raw: unknown): ControlModel {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return EMPTY_MODEL;
  const m = raw as Partial<ControlModel>;
  if (!Array.isArray(m.controls)) return EMPTY_MODEL;
  return {
    version: typeof m.version === "number" ? m.version : MODEL_VERSION,
    controls: m.controls,
    relations: m.relations ?? null,
    objects: Array.isArray(m.objects) ? m.objects : [],
    views: Array.isArray(m.views) ? m.views : [],
    filters: Array.isArray(m.filters) ? m.filters : [],
  };
}

/** The spec of control `name` (Relations included), or undefined. */
export function controlSpec(model: ControlModel, name: string): ControlSpec | undefined {
  const found = model.controls.find((c) => c.name === name);
  if (found) return found;
  return model.relations && model.relations.name === name ? model.relations : undefined;
}

/** The spec of object `name`, or undefined. */
export function objectSpec(model: ControlModel, name: string): ObjectSpec | undefined {
  return model.objects.find((o) => o.name === name);
}

/** The spec of the control at index path `path` of the view tree, or undefined. */
export function controlAt(model: ControlModel, path: readonly number[]): ControlSpec | undefined {
  const same = (p: readonly number[]) => p.length === path.length && p.every((v, i) => v === path[i]);
  const found = model.controls.find((c) => same(c.path));
  if (found) return found;
  return model.relations && same(model.relations.path) ? model.relations : undefined;
}
