// What the screen says about review: for an annotator, the reviewer's reason for sending their answer
// back; for a reviewer, whose annotation is on screen and a comment box to reject it with. Submit (the
// toolbar's Accept) accepts the annotation as shown, so changing it first makes the acceptance a fix.

import { useState } from "preact/hooks";
import { MAX_COMMENT_CHARS, type ReviewNote } from "../protocol";

export interface ReviewBarProps {
  note: ReviewNote;
  busy: boolean;
  onReject(comment: string): void;
}

export function ReviewBar({ note, busy, onReject }: ReviewBarProps) {
  const [comment, setComment] = useState("");
  if (note.rejected_by !== undefined) {
    return (
      <div class="lnb-message lnb-rejected" data-testid="rejected">
        <strong>Sent back by {note.rejected_by}:</strong> {note.comment}
      </div>
    );
  }
  if (note.reviewing === undefined) return null;
  const reason = comment.trim();
  return (
    <div class="lnb-review" data-testid="review-bar">
      <div class="lnb-review-text">
        Reviewing <strong data-testid="reviewing">{note.reviewing}</strong>'s annotation (version {note.version}).
        Accept keeps it as shown: change it first to fix it.
      </div>
      <div class="lnb-review-reject">
        <textarea
          class="lnb-review-comment"
          data-testid="review-comment"
          rows={2}
          maxLength={MAX_COMMENT_CHARS}
          placeholder="To reject: what should the annotator change?"
          value={comment}
          onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
        />
        <button
          type="button"
          class="lnb-btn lnb-danger"
          data-testid="reject"
          disabled={busy || !reason}
          onClick={() => onReject(reason)}
          title="Send the annotation back to its author with this comment"
        >
          Reject
        </button>
      </div>
    </div>
  );
}
