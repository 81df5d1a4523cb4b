"""Reminders: a few working days before the returns deadline, and the working day after it,
mail each service lead whose return has not come in.

Scheduled every working morning; on most days no reminder is due and the run says so.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger

from flows.artifact_keys import artifact_key, plan_key
from flows.delivery import raise_if_not_delivered, send_with_retries
from flows.intake_check import refresh_chase_list
from flows.parameters import PlanName
from flows.run_names import reminders_run_name, run_time
from reporting.automation.mail import reminder
from reporting.automation.schedule import local_date, reminders_due
from reporting.installation import settings_path
from reporting.layout import OutputLayout
from reporting.settings import load_settings


@flow(name="reminders", log_prints=True, flow_run_name=reminders_run_name)
def reminders(
    inputs: Path | None = None,
    outputs: Path | None = None,
    config: Path | None = None,
    plan: PlanName | None = None,
    at: datetime | None = None,
) -> list[str]:
    """Send the reminders due on the run's date; give the addresses reminded.

    Args:
        inputs: The folder holding plan/ and returns/ (default: the settings' [paths]).
        outputs: The folder the chase lists and the sent record are written under
            (default: the settings').
        config: The settings file (reporting.toml); wins over `plan`.
        plan: A plan of an installation with several: plans/NAME/reporting.toml in the
            working folder.
        at: The date or time the run stands for (default: its scheduled time, else now);
            without a time zone, the plan's.
    """
    settings = load_settings(settings_path(plan, config))
    schedule = settings.schedule
    today = local_date(run_time(at, schedule.zone), schedule.zone)
    logger = get_run_logger()
    due = reminders_due(today, schedule.returns_deadline_working_days,
                        schedule.reminder_working_days_before, schedule.bank_holidays)
    if not due:
        logger.info("No reminders are due on %s.", f"{today:%d %B %Y}")
        return []
    layout = OutputLayout(outputs or settings.outputs)
    key = plan_key(plan, settings)
    reminded, deliveries = [], []
    for due_reminder in due:
        period = due_reminder.period
        chases = refresh_chase_list(settings, period, today,
                                    inputs or settings.inputs, layout, key)
        messages = []
        for chase in chases:
            message = reminder(chase, period, due_reminder.kind)
            if message is None:
                logger.warning("No email for %s in [contacts]: chase by hand.", chase.service_area)
            else:
                messages.append(message)
        what = f"{due_reminder.kind}-deadline reminders for {period.label}"
        delivery = send_with_retries(settings.email, messages, layout.sent_record(period),
                                     what, artifact_key("reminders", key, period.path,
                                                        due_reminder.kind), plan)
        deliveries.append((what, delivery))
        reminded += [m.to for m in delivery.delivered]
    raise_if_not_delivered(deliveries)  # after every reminder due has been tried
    return reminded
