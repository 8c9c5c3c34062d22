/**
 * Step "preview": the impact preview's buckets for each source version (the ImpactPreview
 * component, with the same mapping and policy), then the dry run: how many move, where
 * each position goes, and what the compare warns of. Nothing moves here.
 */
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "../components/ui/table";
import { ImpactPreview } from "../impact/ImpactPreview";

import type { Choice } from "./plan";
import type { MigrationPlan } from "./queries";
import { contacts, versionList } from "./words";

const OUTCOME = { migrate: "moves", exit: "exits", fail: "stays (fails)" } as const;

function PlanTable({ plan }: { plan: MigrationPlan }) {
  const rows = [...plan.plan, ...plan.unmappable];
  return (
    <Table aria-label="Dry run">
      <TableCaption>Where the live contacts' positions go in v{plan.target_version}.</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">From</TableHead>
          <TableHead scope="col">Action</TableHead>
          <TableHead scope="col">To action</TableHead>
          <TableHead scope="col">Outcome</TableHead>
          <TableHead scope="col">Contacts</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row, index) => (
          <TableRow key={index}>
            <TableCell>v{row.from_version}</TableCell>
            <TableCell>{row.from_action ?? "(not yet at a step)"}</TableCell>
            <TableCell>{row.to_action ?? "—"}</TableCell>
            <TableCell>{OUTCOME[row.outcome]}</TableCell>
            <TableCell>{row.count.toLocaleString("en")}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** How many move, and, when some would not, how many exit or stay (failed): never "all move" when some stay. */
export function dryRunSentence(plan: MigrationPlan, from: number[]): string {
  const rows = [...plan.plan, ...plan.unmappable];
  const count = (outcome: keyof typeof OUTCOME) => rows.filter((row) => row.outcome === outcome).reduce((sum, row) => sum + row.count, 0);
  const [exit, fail] = [count("exit"), count("fail")];
  const to = `v${plan.target_version}`;
  if (exit === 0 && fail === 0) return `${contacts(plan.total)} of ${versionList(from)} would move to ${to}.`;
  const parts = [`${count("migrate").toLocaleString("en")} would move to ${to}`];
  if (exit) parts.push(`${exit.toLocaleString("en")} would exit the workflow`);
  if (fail) parts.push(`${fail.toLocaleString("en")} would stay where ${fail === 1 ? "it is" : "they are"}, reported as failed`);
  const said = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts[0];
  return `Of the ${contacts(plan.total)} of ${versionList(from)}, ${said}.`;
}

export function PreviewStep({ workflowId, choice, dryRun }: { workflowId: string; choice: Choice; dryRun: { data?: MigrationPlan | undefined; error: Error | null; isPending: boolean } }) {
  const map = Object.keys(choice.mapping).length ? choice.mapping : undefined;
  return (
    <div className="flex flex-col gap-4">
      {choice.from.map((from) => (
        <ImpactPreview key={from} workflowId={workflowId} from={from} to={choice.target} map={map} unmapped={choice.unmapped} />
      ))}
      <section aria-label="Dry run" className="flex flex-col gap-2">
        <h3 className="font-semibold">Dry run</h3>
        {dryRun.isPending ? <p className="text-muted-foreground text-sm">Planning the migration…</p> : null}
        {dryRun.error ? <p role="alert">The dry run was refused: {dryRun.error.message}</p> : null}
        {dryRun.data ? (
          <>
            <p>{dryRunSentence(dryRun.data, choice.from)}</p>
            <PlanTable plan={dryRun.data} />
            {dryRun.data.warnings.length ? (
              <ul aria-label="Warnings" className="list-disc pl-5 text-sm">
                {dryRun.data.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </section>
    </div>
  );
}
