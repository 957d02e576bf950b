/** Atlassian Document Format, as the comments this product writes use it, and how its comment of a run is found again. */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: { type: string }[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** The text the comment of a run starts with: found again by it, so each run has one comment, edited in place. */
export const reportMarker = (runId: string): string => `account-lifecycle run ${runId}`;
