// The note shown for a tag this version cannot render. It never throws.

export function Unsupported({ tag, detail }: { tag: string; detail?: string }) {
  return (
    <div class="lnb-unsupported" data-unsupported={tag}>
      <code>{tag || "(unnamed tag)"}</code> {detail ?? "is not supported in this version"}
    </div>
  );
}
