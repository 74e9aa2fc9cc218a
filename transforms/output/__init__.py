"""Output: the stage that decides the rows: parsed documents to the tables' rows and the
commit's decisions on each batch.

`article_rows` and `tables_from_rows` (`rows`) build each article's rows in the declared
schemas; `dedup` finds exact and near duplicates; `finalize_batch` (`finalize`) decides what
depends on the articles committed before (duplicates, repeated URLs) and runs the data checks
(`checks`) a batch must pass to be committed. May import every other stage.
"""

from transforms.output.checks import check_batch
from transforms.output.dedup import DedupIndex, DedupKeys
from transforms.output.finalize import FinalBatch, finalize_batch
from transforms.output.rows import (
    Article,
    ArticleRows,
    RejectedInput,
    RunInfo,
    article_rows,
    tables_from_rows,
)

__all__ = [
    "Article",
    "ArticleRows",
    "DedupIndex",
    "DedupKeys",
    "FinalBatch",
    "RejectedInput",
    "RunInfo",
    "article_rows",
    "check_batch",
    "finalize_batch",
    "tables_from_rows",
]
