//! Tasks: one register for every follow-up in the ISMS (risk treatment now;
//! corrective actions, management-review actions and audit follow-ups later),
//! each serving one record.

use crate::ids::{TaskId, UserId};
use crate::text::{self, FieldErrors, LONG, SHORT};
use serde::{Deserialize, Serialize};

code_enum!(
    TaskStatus, "task_status" {
        Open = "open",
        InProgress = "in_progress",
        Done = "done",
        Cancelled = "cancelled",
    }
);

code_enum!(
    /// The kind of record a task serves.
    Subject, "task_subject" {
        Risk = "risk",
    }
);

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TaskForm {
    pub title: Option<String>,
    pub description: Option<String>,
    pub owner_id: Option<String>,
    pub due_date: Option<String>,
    pub status: Option<String>,
    #[serde(deserialize_with = "crate::text::num_or_text")]
    pub progress: Option<String>,
    pub applied_control_id: Option<String>,
    /// What was done, and where the evidence is: asked when the task is done.
    pub closing_note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskInput {
    pub title: String,
    pub description: Option<String>,
    pub owner_id: Option<UserId>,
    pub due_date: Option<String>,
    pub status: TaskStatus,
    /// 0–100.
    pub progress: u8,
    pub applied_control_id: Option<String>,
    #[serde(default)]
    pub closing_note: Option<String>,
}

impl TaskForm {
    pub fn parse(&self) -> Result<TaskInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = text::required(&mut e, "title", self.title.as_deref(), SHORT);
        let description = text::optional(&mut e, "description", self.description.as_deref(), LONG);
        let owner_id = crate::context::owner(&mut e, self.owner_id.as_deref());
        let due_date = text::optional_date(&mut e, "due_date", self.due_date.as_deref());
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => Some(TaskStatus::Open),
            Some(s) => {
                let st = TaskStatus::parse(s);
                if st.is_none() {
                    e.add("status", "error.unknown_value");
                }
                st
            }
        };
        let mut progress = match self.progress.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(s) => match s.trim_end_matches('%').trim().parse::<u8>() {
                Ok(n) if n <= 100 => n,
                _ => {
                    e.add("progress", "error.task_progress");
                    0
                }
            },
        };
        if status == Some(TaskStatus::Done) {
            progress = 100;
        }
        let closing_note = text::optional(&mut e, "closing_note", self.closing_note.as_deref(), LONG);
        // Done says what was done (and where the evidence is), so that a
        // reviewer can check it without asking.
        if status == Some(TaskStatus::Done) && closing_note.is_none() && e.for_field("closing_note").is_none() {
            e.add("closing_note", "error.task_done_needs_note");
        }
        let applied_control_id = match self.applied_control_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match uuid::Uuid::parse_str(s) {
                Ok(u) => Some(u.to_string()),
                Err(_) => {
                    e.add("applied_control_id", "error.unknown_applied_control");
                    None
                }
            },
        };
        match status {
            Some(status) => e.finish(TaskInput {
                title,
                description,
                owner_id,
                due_date,
                status,
                progress,
                applied_control_id,
                closing_note,
            }),
            None => Err(e),
        }
    }
}

/// A stored task, with the record it serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Task {
    pub id: TaskId,
    pub subject: Subject,
    pub subject_id: String,
    /// A readable name of the record served (e.g. "R-004 Ransomware").
    pub subject_label: String,
    #[serde(flatten)]
    pub data: TaskInput,
    pub created_at: String,
    pub updated_at: String,
}

impl Task {
    /// Open or in progress and past its due date on `today` (YYYY-MM-DD).
    pub fn overdue(&self, today: &str) -> bool {
        matches!(self.data.status, TaskStatus::Open | TaskStatus::InProgress)
            && self.data.due_date.as_deref().is_some_and(|d| d < today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_parses_and_done_means_complete() {
        let f = TaskForm {
            title: Some("Offline back-up testen".into()),
            status: Some("done".into()),
            progress: Some("40".into()),
            due_date: Some("2026-12-01".into()),
            ..Default::default()
        };
        assert_eq!(f.parse().unwrap_err().for_field("closing_note"), Some("error.task_done_needs_note"));
        let f = TaskForm { closing_note: Some("Hersteltest geslaagd; verslag in het ISMS-dossier.".into()), ..f };
        let t = f.parse().unwrap();
        assert_eq!(t.progress, 100);
        let bad = TaskForm { progress: Some("140".into()), status: Some("later".into()), ..f };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.for_field("progress"), Some("error.task_progress"));
        assert_eq!(e.for_field("status"), Some("error.unknown_value"));
    }
}
