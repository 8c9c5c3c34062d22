/** What the colours of the compare view mean, in words. */
import { Badge } from "../components/ui/badge";
import { type Change, CHANGES } from "../graph/changes";

export function Legend() {
  return (
    <ul aria-label="Legend" className="flex flex-wrap items-center gap-3 text-sm">
      {(Object.keys(CHANGES) as Change[]).map((change) => (
        <li key={change} className="flex items-center gap-1.5" data-change={change}>
          <span aria-hidden className={`inline-block size-3 rounded-sm ${CHANGES[change].swatch}`} />
          {CHANGES[change].word}
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <Badge variant="destructive">⚠ n live</Badge> breaking: the live contacts it hits
      </li>
    </ul>
  );
}
