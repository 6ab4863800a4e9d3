//! KPI results: import (calamine, CSV) -> score (pure functions) -> report.
