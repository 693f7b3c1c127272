"""Unattended runs: the sensor on raw/ and the daily schedule.

The sensor compares raw/ with its cursor (file name -> sha256), adds and deletes document
partitions, and requests an extraction run for each new or changed document only, then a release
run (which also drops a removed document's facts). The schedule runs the release job daily; it
publishes nothing when nothing changed. Logic lives in ``pipelines.run``; this module only wires it.
"""


import json
import os
from pathlib import Path

import dagster as dg

from pipelines.run import PARTITIONS, PipelineError, scan_raw


def _raw_dir(context) -> Path:
    root = Path(os.environ.get("JAC_PROJECT_ROOT", "."))
    if context is not None and getattr(context, "resources", None) is not None:
        try:
            root = Path(context.resources.project.root)
        except Exception:  # noqa: BLE001 - sensors built without resources fall back to the env
            pass
    return root / "raw"


@dg.sensor(job_name="extract_document", minimum_interval_seconds=30, required_resource_keys={"project"},
           description="Watches raw/: new or changed documents are extracted, removed ones leave the release.")
def raw_documents_sensor(context: dg.SensorEvaluationContext):
    try:
        state = scan_raw(_raw_dir(context))
    except PipelineError as err:
        return dg.SkipReason(str(err))
    before = json.loads(context.cursor) if context.cursor else {}
    now = state.hashes
    added = sorted(k for k in now if k not in before)
    changed = sorted(k for k in now if k in before and before[k] != now[k])
    removed = sorted(k for k in before if k not in now)
    if not (added or changed or removed):
        return dg.SkipReason("raw/ unchanged")
    requests = [dg.RunRequest(run_key=f"{key}:{now[key]}", partition_key=key, job_name="extract_document")
                for key in added + changed]
    requests.append(dg.RunRequest(run_key="release:" + ",".join(f"{k}:{v}" for k, v in sorted(now.items())),
                                  job_name="release"))
    dynamic = []
    if added:
        dynamic.append(dg.AddDynamicPartitionsRequest(PARTITIONS, added))
    if removed:
        dynamic.append(dg.DeleteDynamicPartitionsRequest(PARTITIONS, removed))
    context.update_cursor(json.dumps(now, sort_keys=True))
    return dg.SensorResult(run_requests=requests, dynamic_partitions_requests=dynamic)


daily_release_schedule = dg.ScheduleDefinition(
    name="daily_release", job_name="release", cron_schedule="0 3 * * *", execution_timezone="UTC",
    description="Daily rebuild and publish (a no-op publish when nothing changed).")
