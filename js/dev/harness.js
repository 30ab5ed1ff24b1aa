// Fake kernel + model for looking at the widget in a real browser. Scenario from ?scenario=...
import widget from "../../labelnb/static/widget.js";

const params = new URLSearchParams(location.search);
const scenario = params.get("scenario") || "text";
if (params.get("theme") === "dark") document.body.classList.add("dark");

class FakeModel {
  constructor(attrs) {
    this.attrs = attrs;
    this.listeners = new Map();
    this.sent = [];
    this.onSend = () => {};
  }
  get(k) { return this.attrs[k]; }
  set(k, v) { this.attrs[k] = v; this.emit(`change:${k}`); }
  on(e, cb) { if (!this.listeners.has(e)) this.listeners.set(e, new Set()); this.listeners.get(e).add(cb); }
  off(e, cb) { if (!e) this.listeners.clear(); else if (!cb) this.listeners.delete(e); else this.listeners.get(e)?.delete(cb); }
  emit(e, ...args) { for (const cb of [...(this.listeners.get(e) || [])]) cb(...args); }
  send(content, _cb, buffers) { this.sent.push(content); window.__sent = this.sent; setTimeout(() => this.onSend(content, buffers), 0); }
  save_changes() {}
  push(msg, buffers = []) { this.emit("msg:custom", msg, buffers); }
  reply(id, error) { this.push(error ? { kind: "reply", request_id: id, ok: false, error } : { kind: "reply", request_id: id, ok: true }); }
}

const REVIEW_VIEW = {
  tag: "View",
  children: [
    { tag: "Header", attrs: { value: "Restaurant review: $title", size: "3" } },
    { tag: "Text", attrs: { name: "review", value: "$review" } },
    { tag: "Header", attrs: { value: "Overall sentiment", size: "5" } },
    {
      tag: "Choices",
      attrs: { name: "sentiment", toName: "review", choice: "single", showInline: "true", required: "true" },
      children: [
        { tag: "Choice", attrs: { value: "Positive", hotkey: "1" } },
        { tag: "Choice", attrs: { value: "Neutral", hotkey: "2" } },
        { tag: "Choice", attrs: { value: "Negative", hotkey: "3" } },
      ],
    },
    { tag: "Header", attrs: { value: "Topics mentioned", size: "5" } },
    {
      tag: "Choices",
      attrs: { name: "topics", toName: "review", choice: "multiple" },
      children: [
        { tag: "Choice", attrs: { value: "Food", hotkey: "f" } },
        { tag: "Choice", attrs: { value: "Service", hotkey: "s" } },
        { tag: "Choice", attrs: { value: "Price", hotkey: "p" } },
        { tag: "Choice", attrs: { value: "Ambience", hotkey: "a", html: '<span onmouseover="window.__pwned=1">Ambience <i>&amp; decor</i></span><a href="javascript:window.__pwned=3"></a><script>window.__pwned=2</script>' } },
      ],
    },
    {
      tag: "View",
      attrs: { style: "display: flex; gap: 32px; flex-wrap: wrap" },
      children: [
        {
          tag: "View",
          children: [
            { tag: "Header", attrs: { value: "Stars", size: "5" } },
            { tag: "Rating", attrs: { name: "stars", toName: "review", maxRating: "5", hotkey: "r" } },
          ],
        },
        {
          tag: "View",
          children: [
            { tag: "Header", attrs: { value: "Price per person (€)", size: "5" } },
            { tag: "Number", attrs: { name: "price", toName: "review", min: "0", max: "500", step: "0.5" } },
          ],
        },
      ],
    },
    { tag: "Header", attrs: { value: "Notes", size: "5" } },
    { tag: "TextArea", attrs: { name: "notes", toName: "review", placeholder: "Anything worth remembering…", rows: "2" } },
    { tag: "Style", text: ".lsf-foo { color: red }" },
  ],
};

const REVIEWS = [
  {
    title: "Trattoria Sole",
    review:
      "The crust was perfect — blistered and chewy — and the burrata tasted like it came from the farm that morning.\n\nService was slow on a Friday night, though: we waited 25 minutes for the bill. <img src=x onerror=alert(1)> stays text.",
  },
  { title: "Noodle Bar 88", review: "Broth was thin. The staff were lovely and prices fair." },
  { title: "Chez Marcel", review: "Overpriced, loud, and the steak arrived cold." },
];

const IMAGE_VIEW = {
  tag: "View",
  attrs: { style: "display: flex; gap: 20px; align-items: flex-start; flex-wrap: wrap" },
  children: [
    { tag: "View", attrs: { style: "flex: 1 1 420px" }, children: [{ tag: "Image", attrs: { name: "img", value: "$image", maxWidth: "560px" } }] },
    {
      tag: "View",
      attrs: { style: "flex: 0 1 260px" },
      children: [
        { tag: "Header", attrs: { value: "Which animal?" } },
        {
          tag: "Choices",
          attrs: { name: "animal", toName: "img", choice: "single-radio", required: "true" },
          children: [
            { tag: "Choice", attrs: { value: "Cat", hotkey: "c" } },
            { tag: "Choice", attrs: { value: "Dog", hotkey: "d" } },
            { tag: "Choice", attrs: { value: "Neither", hotkey: "n" } },
          ],
        },
        { tag: "Header", attrs: { value: "Image quality" } },
        {
          tag: "Choices",
          attrs: { name: "quality", toName: "img", layout: "select" },
          children: [
            { tag: "Choice", attrs: { value: "Sharp" } },
            { tag: "Choice", attrs: { value: "Blurry" } },
            { tag: "Choice", attrs: { value: "Too dark" } },
          ],
        },
        { tag: "RectangleLabels", attrs: { name: "box", toName: "img" }, children: [{ tag: "Label", attrs: { value: "Cat" } }] },
      ],
    },
  ],
};

async function makePng(hue, label) {
  const c = document.createElement("canvas");
  c.width = 640;
  c.height = 420;
  const g = c.getContext("2d");
  const grad = g.createLinearGradient(0, 0, 640, 420);
  grad.addColorStop(0, `hsl(${hue}, 70%, 70%)`);
  grad.addColorStop(1, `hsl(${(hue + 60) % 360}, 60%, 40%)`);
  g.fillStyle = grad;
  g.fillRect(0, 0, 640, 420);
  g.fillStyle = "rgba(255,255,255,0.85)";
  g.beginPath();
  g.ellipse(320, 230, 120, 100, 0, 0, Math.PI * 2);
  g.fill();
  g.beginPath();
  g.moveTo(225, 170); g.lineTo(250, 80); g.lineTo(295, 140); g.closePath();
  g.moveTo(415, 170); g.lineTo(390, 80); g.lineTo(345, 140); g.closePath();
  g.fill();
  g.fillStyle = "#333";
  for (const x of [275, 365]) { g.beginPath(); g.arc(x, 210, 12, 0, Math.PI * 2); g.fill(); }
  g.font = "bold 28px system-ui";
  g.fillText(label, 20, 400);
  const blob = await new Promise((r) => c.toBlob(r, "image/png"));
  return new DataView(await blob.arrayBuffer());
}

function textTask(i, extra = {}) {
  return { id: 101 + i, data: REVIEWS[i % REVIEWS.length], result: [], annotation_id: null, predictions: [], media: [], can_back: i > 0, ...extra };
}

let model;
if (scenario === "empty") {
  model = new FakeModel({ view: {}, task: {}, status: { done: 340, total: 340, empty: true, user: "alice@example.com" } });
} else if (scenario === "image") {
  const tasks = ["s3://pets/cat-001.png", "s3://pets/cat-002.png", "s3://pets/missing.png"];
  const taskAt = (i) => ({ id: 7 + i, data: { image: tasks[i] }, result: [], annotation_id: null, predictions: [], media: [tasks[i]], can_back: i > 0 });
  model = new FakeModel({ view: IMAGE_VIEW, task: taskAt(0), status: { done: 41, total: 120, empty: false, user: "bob", message: "Model v3 suggests: Cat (0.81)" } });
  let i = 0;
  // the kernel pushes the current and the next media before anyone asks (after a moment, to show loading)
  const pushMedia = async (value, k) => {
    if (value.includes("missing")) model.push({ kind: "media_error", value, error: `No such object: ${value}` });
    else model.push({ kind: "media", value, mime: "image/png" }, [await makePng(30 + 90 * k, value)]);
  };
  setTimeout(() => { pushMedia(tasks[0], 0); pushMedia(tasks[1], 1); }, Number(params.get("delay") || 50));
  model.onSend = (msg) => {
    if (msg.kind === "submit" || msg.kind === "skip") {
      setTimeout(() => { model.reply(msg.request_id); i = Math.min(i + 1, tasks.length - 1); model.set("task", taskAt(i)); if (tasks[i + 1]) pushMedia(tasks[i + 1], i + 1); }, 150);
    } else if (msg.kind === "media") {
      model.reply(msg.request_id);
      msg.values.forEach((v) => pushMedia(v, tasks.indexOf(v)));
    } else if (msg.request_id) model.reply(msg.request_id);
  };
} else {
  let i = 0;
  model = new FakeModel({ view: REVIEW_VIEW, task: textTask(0), status: { done: 12, total: 340, empty: false, user: "alice@example.com", message: "" } });
  model.onSend = (msg) => {
    if (msg.kind === "draft" || msg.kind === "media") return model.reply(msg.request_id);
    setTimeout(() => {
      if (scenario === "error" && msg.kind === "submit") {
        model.reply(msg.request_id, 'Task 101 was already annotated by alice@example.com 2 minutes ago (annotation #5120). Reload to see it, or use "Back" to edit it.');
        return;
      }
      model.reply(msg.request_id);
      if (msg.kind === "submit" || msg.kind === "skip") {
        i += 1;
        const st = model.get("status");
        model.set("status", { ...st, done: st.done + (msg.kind === "submit" ? 1 : 0) });
        model.set("task", textTask(i));
      } else if (msg.kind === "back") {
        i = Math.max(0, i - 1);
        model.set("task", textTask(i));
      }
    }, Number(params.get("latency") || 200));
  };
}

window.__model = model;
const el = document.getElementById("out");
widget.initialize?.({ model });
window.__cleanup = widget.render({ model, el });
window.__ready = true;
