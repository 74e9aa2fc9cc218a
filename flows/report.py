"""The run's report: a markdown artifact and a table artifact of rejects in Prefect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefect.artifacts import create_markdown_artifact, create_table_artifact

if TYPE_CHECKING:
    from flows.pipeline import RunSummary

TABLES = ("articles", "entities", "mentions", "links", "rejects")


def summary_markdown(summary: RunSummary) -> str:
    """The run summary as markdown: rows per table, rejects, duplicates, stages, throughput."""
    lines = [
        f"# newsetl run {summary.run_id}",
        "",
        f"{summary.inputs_found} inputs found, {summary.inputs_planned} processed in "
        f"{summary.seconds:.1f} s ({summary.articles_per_second:.1f} articles/s, "
        f"{summary.words:,} words); {summary.duplicates} duplicates marked.",
        "",
        "| table | rows written |",
        "|---|---:|",
        *(f"| {name} | {summary.rows.get(name, 0):,} |" for name in TABLES),
    ]
    if summary.rejects_by_reason:
        lines += ["", "| reject reason | inputs | example |", "|---|---:|---|"]
        lines += [
            f"| {reason} | {count} | {summary.reject_examples.get(reason, '')} |"
            for reason, count in sorted(summary.rejects_by_reason.items())
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
        description="Rows per table, rejects, duplicates, throughput",
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
