"""The run's Prefect artifacts: a markdown summary and a table of rejects (the analysts' HTML
report, `newsetl report`, is `flows.analysis.report`)."""

from __future__ import annotations

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.run import RunSummary
from transforms.schema import TABLE_SCHEMAS


def summary_markdown(summary: RunSummary) -> str:
    """The run summary as markdown: rows per table, rejects, duplicates, failures, stages."""
    added, size = summary.rows_added, summary.table_rows
    lines = [
        f"# newsetl run {summary.run_id}",
        "",
        f"{summary.inputs_found:,} inputs found, {summary.inputs_planned:,} processed in "
        f"{summary.seconds:.1f} s ({summary.articles_per_second:.1f} articles/s, "
        f"{summary.words:,} words); {summary.duplicates} duplicates marked.",
        "",
        "| table | rows added | rows in table |",
        "|---|---:|---:|",
        *(f"| {name} | {added.get(name, 0):,} | {size.get(name, 0):,} |" for name in TABLE_SCHEMAS),
    ]
    if summary.failed_batches:
        lines += ["", "**Failed batches** (their inputs are left for the next run):", ""]
        lines += [f"- {label}: {why}" for label, why in summary.failed_batches.items()]
    if summary.rejects_by_reason:
        lines += ["", "| reject reason | inputs | example |", "|---|---:|---|"]
        lines += [
            f"| {reason} | {count} | {summary.reject_examples.get(reason, '')} |"
            for reason, count in sorted(summary.rejects_by_reason.items())
        ]
    if summary.notes:
        lines += ["", f"{len(summary.notes)} input(s) with something ignored, e.g.:", ""]
        lines += [f"- {path}: {note}" for path, note in sorted(summary.notes.items())[:5]]
    if summary.deleted_inputs:
        lines += [
            "",
            f"{summary.deleted_inputs} processed input(s) are gone from the raw folder; "
            f"{summary.pruned_inputs} pruned (`newsetl run --prune` removes their rows).",
        ]
    if summary.seconds_by_stage:
        slowest = max(summary.seconds_by_stage, key=summary.seconds_by_stage.__getitem__)
        lines += ["", "| stage | seconds (summed over batches) |", "|---|---:|"]
        lines += [
            f"| {stage} | {seconds:.2f} |" for stage, seconds in summary.seconds_by_stage.items()
        ]
        lines += ["", f"Slowest stage: **{slowest}**."]
    return "\n".join(lines) + "\n"


def publish_run_artifacts(summary: RunSummary) -> str:
    """Publish the markdown summary and the rejects table; returns the markdown."""
    markdown = summary_markdown(summary)
    create_markdown_artifact(
        markdown=markdown,
        key="newsetl-run-summary",
        description="Rows per table, rejects, duplicates, failures, throughput",
    )
    if summary.rejects_by_reason:
        create_table_artifact(
            key="newsetl-rejects",
            table=[
                {
                    "reason": reason,
                    "inputs": count,
                    "example": summary.reject_examples.get(reason, ""),
                }
                for reason, count in sorted(summary.rejects_by_reason.items())
            ],
            description="Inputs that could not become articles, by reason",
        )
    return markdown
