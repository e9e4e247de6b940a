//! The register mechanism: a register of the ISMS is declared once, as a
//! [`Register`] value (its fields, who may do what, where it lives), and one
//! generic implementation in each layer gives it storage (`borgen-store`), use
//! cases with access rights and the audit trail (`borgen-app`), pages, the JSON
//! API, its OpenAPI schemas, CSV/XLSX exports (`borgen-web`) and contract tests.
//!
//! This module holds what is pure: the declaration types, parsing raw input
//! into values, list parameters, and the permission decision. The declarations
//! themselves are in [`crate::registers`].

use crate::context::ArchiveFilter;
use crate::ids::UserId;
use crate::role::{Permission, RoleSet};
use crate::text::{self, FieldErrors, LONG, SHORT};
use std::collections::BTreeMap;

/// What a field holds. Every kind but one is stored as one column: text
/// (dates as `YYYY-MM-DD`, choices as their code, members as a user id) or a
/// boolean; [`Kind::Controls`] holds several values, in a link table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text of at most this many characters; more than [`SHORT`] is multi-line.
    Text(usize),
    /// A calendar date.
    Date,
    /// One of a closed list of codes; the label of a code is the locale key
    /// `{prefix}.{code}`.
    Choice { prefix: &'static str, codes: &'static [&'static str] },
    /// A member of the organisation (a user id).
    Member,
    /// Yes or no (a checkbox); never empty.
    Bool,
    /// An `http://` or `https://` address.
    Url,
    /// An e-mail address, kept in lower case.
    Email,
    /// A record of the declared register with this key (its id).
    Link(&'static str),
    /// Several Annex A controls (their ids, in the standard's order), kept in
    /// a link table.
    Controls(LinkTable),
    /// A level from 0 (not set) to `max`, stored as a number; the label of a
    /// level is the locale key `{prefix}.{n}`. Never empty: blank is 0.
    Level { prefix: &'static str, max: u8 },
    /// Several records of the declared register with key `register` (their
    /// ids), kept in a link table.
    Records { register: &'static str, links: LinkTable },
    /// A number with at most `decimals` digits after the separator (an amount,
    /// FTE, a measured value), stored as text in one spelling ("12500.50":
    /// exactly `decimals` digits, a point); typed with a point or a comma;
    /// JSON takes and gives a number. Not sortable (text order is not
    /// number order).
    Number { decimals: u8 },
}

/// Where a many-valued field keeps its values: one row per value, with the
/// organisation, the record's id in column `own` and the value in `other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkTable {
    pub table: &'static str,
    pub own: &'static str,
    pub other: &'static str,
}

/// One field of a register.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// Column name, form field name and JSON property, all the same.
    pub name: &'static str,
    /// Locale key of its label.
    pub label: &'static str,
    /// Locale key of a hint shown under the input.
    pub hint: Option<&'static str>,
    pub kind: Kind,
    pub required: bool,
    /// Shown as a column of the list.
    pub list: bool,
    /// The list can be sorted by it (text sorts by [`text::sort_key`]).
    pub sort: bool,
    /// The list can be filtered by it (choices, members, yes/no).
    pub filter: bool,
    /// Its words are found by the list's search box.
    pub search: bool,
    /// Only who may manage the ISMS may set or change it (a decision, who
    /// decided): an owner who edits the rest of the record keeps it as it is.
    pub managers: bool,
    /// Locale key of what an empty value means ("own control" for an applied
    /// control that implements no Annex A control); "—" when not set.
    pub empty: Option<&'static str>,
    /// For links to records of the same register: no record may reach itself
    /// through them (a server that supports the application it runs on); the
    /// locale key of the refusal.
    pub acyclic: Option<&'static str>,
    /// For a level: the many-record field through which it is raised. A
    /// record's effective level is the highest of its own and that of every
    /// current record it reaches through that field (an asset needs at least
    /// what each asset it supports needs).
    pub raised_by: Option<&'static str>,
    /// For a date: the day something is due (a review date). A current
    /// record past it is flagged overdue on the list and on its page.
    pub due: bool,
    /// For a member: who is named must be able to approve for the
    /// organisation (top management), as in "approved by".
    pub approver: bool,
    /// A valid value for tests and samples where the kind's own would break
    /// a rule (a year, for a text field).
    pub example: Option<&'static str>,
}

impl Field {
    const fn new(name: &'static str, label: &'static str, kind: Kind) -> Field {
        Field {
            name,
            label,
            hint: None,
            kind,
            required: false,
            list: false,
            sort: false,
            filter: false,
            search: false,
            managers: false,
            empty: None,
            acyclic: None,
            raised_by: None,
            due: false,
            approver: false,
            example: None,
        }
    }
    /// One line of text, at most [`SHORT`] characters.
    pub const fn text(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Text(SHORT))
    }
    /// Several lines of text, at most [`LONG`] characters.
    pub const fn long(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Text(LONG))
    }
    pub const fn date(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Date)
    }
    pub const fn choice(
        name: &'static str,
        label: &'static str,
        prefix: &'static str,
        codes: &'static [&'static str],
    ) -> Field {
        Field::new(name, label, Kind::Choice { prefix, codes })
    }
    pub const fn member(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Member)
    }
    pub const fn flag(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Bool)
    }
    pub const fn email(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Email)
    }
    pub const fn url(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Url)
    }
    /// Several Annex A controls, kept in `links` (typed as ids separated by
    /// commas or spaces: "5.15, A.8.5").
    pub const fn controls(name: &'static str, label: &'static str, links: LinkTable) -> Field {
        Field::new(name, label, Kind::Controls(links))
    }
    /// A level from 0 (not set) to `max`, labelled `{prefix}.{n}`.
    pub const fn level(name: &'static str, label: &'static str, prefix: &'static str, max: u8) -> Field {
        Field::new(name, label, Kind::Level { prefix, max })
    }
    /// Several records of the register declared with key `register`, kept in `links`.
    pub const fn records(name: &'static str, label: &'static str, register: &'static str, links: LinkTable) -> Field {
        Field::new(name, label, Kind::Records { register, links })
    }
    /// A number with at most `decimals` digits after the separator.
    pub const fn number(name: &'static str, label: &'static str, decimals: u8) -> Field {
        Field::new(name, label, Kind::Number { decimals })
    }
    /// A record of the register declared with key `register`.
    pub const fn link(name: &'static str, label: &'static str, register: &'static str) -> Field {
        Field::new(name, label, Kind::Link(register))
    }
    pub const fn required(self) -> Field {
        Field { required: true, ..self }
    }
    pub const fn list(self) -> Field {
        Field { list: true, ..self }
    }
    pub const fn sort(self) -> Field {
        Field { sort: true, ..self }
    }
    pub const fn filter(self) -> Field {
        Field { filter: true, ..self }
    }
    pub const fn search(self) -> Field {
        Field { search: true, ..self }
    }
    pub const fn hint(self, key: &'static str) -> Field {
        Field { hint: Some(key), ..self }
    }
    pub const fn managers(self) -> Field {
        Field { managers: true, ..self }
    }
    pub const fn empty_as(self, key: &'static str) -> Field {
        Field { empty: Some(key), ..self }
    }
    /// No record may reach itself through these links; `refusal` says so.
    pub const fn acyclic(self, refusal: &'static str) -> Field {
        Field { acyclic: Some(refusal), ..self }
    }
    pub const fn raised_by(self, field: &'static str) -> Field {
        Field { raised_by: Some(field), ..self }
    }
    pub const fn due(self) -> Field {
        Field { due: true, ..self }
    }
    /// The value samples use.
    pub const fn sample(self, v: &'static str) -> Field {
        Field { example: Some(v), ..self }
    }
    /// The member named must be one who approves (top management).
    pub const fn approver(self) -> Field {
        Field { approver: true, ..self }
    }
    /// Whether `v`, a value of this field, is a due date that passed before
    /// `today` (both YYYY-MM-DD).
    pub fn overdue(&self, v: &Value, today: &str) -> bool {
        self.due && v.as_text().is_some_and(|d| d < today)
    }

    /// Whether the field is a column of the register's table (not kept in a
    /// link table).
    pub fn is_column(&self) -> bool {
        self.links().is_none()
    }
    /// The link table of a many-valued field.
    pub fn links(&self) -> Option<LinkTable> {
        match self.kind {
            Kind::Controls(t) | Kind::Records { links: t, .. } => Some(t),
            _ => None,
        }
    }
    /// The locale key of a level's label.
    pub fn level_key(&self, n: i64) -> Option<String> {
        match self.kind {
            Kind::Level { prefix, max } if (0..=i64::from(max)).contains(&n) => Some(format!("{prefix}.{n}")),
            _ => None,
        }
    }

    pub fn multi_line(&self) -> bool {
        matches!(self.kind, Kind::Text(n) if n > SHORT)
    }
    /// Whether the list sorts this field by a folded key column `{name}_key`.
    pub fn has_sort_key(&self) -> bool {
        self.sort && matches!(self.kind, Kind::Text(_))
    }
    /// The locale key of a choice's label.
    pub fn choice_key(&self, code: &str) -> Option<String> {
        match self.kind {
            Kind::Choice { prefix, codes } if codes.contains(&code) => Some(format!("{prefix}.{code}")),
            _ => None,
        }
    }
}

/// Who may edit a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Only who may manage the ISMS.
    Managers,
    /// Who manages the ISMS, and a contributor who is the member in this field
    /// (who may not hand the record to someone else).
    OwnerOr(&'static str),
}

/// A register, declared once.
#[derive(Debug)]
pub struct Register {
    /// The record's kind in the audit trail (`entity.{key}` names it).
    pub key: &'static str,
    /// The prefix of its locale keys: `{locale}.title`, `.nav`, `.intro`,
    /// `.new`, `.edit`, `.empty`.
    pub locale: &'static str,
    /// Its table: `id`, `org_id`, one column per field, `{name}_key` for each
    /// sortable text field, `search`, `archived_at`, `created_at`, `updated_at`.
    pub table: &'static str,
    /// Path of its pages under `/o/{slug}/`.
    pub path: &'static str,
    /// Path of its API under `/api/v1/orgs/{slug}/`.
    pub api: &'static str,
    /// Name of its OpenAPI schema (`{schema}` and `{schema}Input`).
    pub schema: &'static str,
    /// The area of the navigation it belongs to (`leadership`, `planning`, …).
    pub area: &'static str,
    /// The clause of ISO/IEC 27001 it serves.
    pub clause: &'static str,
    pub fields: &'static [Field],
    /// The field that names a record (links, headings).
    pub title: &'static str,
    /// The list's default sort field and direction.
    pub default_sort: &'static str,
    pub default_desc: bool,
    /// Who may create, edit and archive (or restore). Reading is for every
    /// member who may read registers.
    pub create: Permission,
    pub edit: Edit,
    pub archive: Permission,
    /// Rules across fields, run after each field is valid on its own.
    pub rules: fn(&Values<'_>, &mut FieldErrors),
    /// For a register whose records belong to a record of another (the
    /// requirements of an interested party): the link field naming it. Its
    /// records are shown, added and exported with that record, set once at
    /// creation, and whoever may edit that record may edit them.
    pub parent: Option<&'static str>,
    /// For such a register: a yes/no field whose count its parent's list shows
    /// ("2 of 3 addressed", locale key `{locale}.summary`).
    pub summary: Option<&'static str>,
    /// Fields (columns) whose values together no two current records may
    /// share (one completion per person and campaign); refused with 422
    /// `error.duplicate` on the last of them. A record with any of them empty
    /// is not compared.
    pub unique: &'static [&'static str],
}

/// The record another one belongs to, with its register.
#[derive(Clone, Copy, Debug)]
pub struct Up<'a> {
    pub reg: &'static Register,
    pub rec: &'a Record,
}

/// No rules across fields.
pub fn no_rules(_: &Values<'_>, _: &mut FieldErrors) {}

/// One stored value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Text(String),
    Bool(bool),
    /// A level.
    Int(i64),
    /// The values of a many-valued field, in order (never `Null`: empty).
    List(Vec<String>),
}

impl Value {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }
    pub fn as_list(&self) -> &[String] {
        match self {
            Value::List(v) => v,
            _ => &[],
        }
    }
}

/// A record's values by field, in the register's field order.
#[derive(Clone, Copy, Debug)]
pub struct Values<'a> {
    pub reg: &'a Register,
    pub values: &'a [Value],
}

impl Values<'_> {
    pub fn get(&self, name: &str) -> &Value {
        self.reg.index(name).and_then(|i| self.values.get(i)).unwrap_or(&Value::Null)
    }
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).as_text()
    }
    pub fn list(&self, name: &str) -> &[String] {
        self.get(name).as_list()
    }
}

/// A stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub id: RecordId,
    pub values: Vec<Value>,
    /// The effective value of each level raised through links
    /// ([`Field::raised_by`]), by field name, as the store computed it.
    pub effective: BTreeMap<&'static str, i64>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub use crate::ids::RecordId;

/// What the acting member may do with one record, decided once here and read
/// by pages (which buttons to show) and the API (returned with the record).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Access {
    pub edit: bool,
    pub archive: bool,
    pub restore: bool,
}

/// How the list is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Field(usize),
    Updated,
}

/// Filter, search, sort and page of a register's list.
#[derive(Clone, Debug)]
pub struct ListQuery {
    pub q: Option<String>,
    /// (field index, value) pairs, each a valid value of a filterable field.
    pub filters: Vec<(usize, Value)>,
    pub archived: ArchiveFilter,
    pub sort: Sort,
    pub desc: bool,
    pub page: u32,
    pub per_page: u32,
}

/// A list parameter with a value the list does not accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadParameter;

/// Rows per page unless asked otherwise, and the most a page or an export holds.
pub const PER_PAGE: u32 = 25;
pub const PER_PAGE_MAX: u32 = 500;
pub const EXPORT_MAX: u32 = 10_000;

/// The parameters a list accepts besides its filter fields.
pub const LIST_PARAMS: [&str; 6] = ["q", "archived", "sort", "dir", "page", "per_page"];

impl Register {
    /// What a declaration leaves out: the ISMS manager creates, edits and
    /// archives; no rules across fields; no parent. A declaration names the
    /// rest and ends with `..Register::DEFAULTS`.
    pub const DEFAULTS: Register = Register {
        key: "",
        locale: "",
        table: "",
        path: "",
        api: "",
        schema: "",
        area: "",
        clause: "",
        fields: &[],
        title: "",
        default_sort: "",
        default_desc: false,
        create: Permission::ManageIsms,
        edit: Edit::Managers,
        archive: Permission::ManageIsms,
        rules: no_rules,
        parent: None,
        summary: None,
        unique: &[],
    };

    pub fn index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    /// The text that names a record.
    /// The title of a record, when its title field is text; a register
    /// titled by a link (who holds a role) is named by the linked record's
    /// title, which the caller looks up ([`Self::title_link`]).
    pub fn title_of<'a>(&self, rec: &'a Record) -> &'a str {
        self.index(self.title).and_then(|i| rec.values[i].as_text()).unwrap_or("")
    }
    /// The id a record's title names, when the register is titled by a link.
    pub fn title_link<'a>(&self, rec: &'a Record) -> Option<&'a str> {
        let i = self.index(self.title)?;
        matches!(self.fields[i].kind, Kind::Link(_)).then(|| rec.values[i].as_text()).flatten()
    }
    /// The member whose ownership lets a contributor edit, if the register has one.
    pub fn owner_of(&self, values: &[Value]) -> Option<UserId> {
        match self.edit {
            Edit::OwnerOr(f) => self.index(f).and_then(|i| values[i].as_text()).and_then(UserId::parse),
            Edit::Managers => None,
        }
    }

    pub fn may_read(&self, roles: &RoleSet) -> bool {
        roles.can(Permission::ReadRegisters)
    }
    pub fn may_create(&self, roles: &RoleSet) -> bool {
        roles.can(self.create)
    }
    /// Whether `me` may edit a record whose values are `values` (archived or not).
    pub fn may_edit(&self, roles: &RoleSet, me: Option<UserId>, values: &[Value]) -> bool {
        match self.edit {
            Edit::Managers => roles.can(Permission::ManageIsms),
            Edit::OwnerOr(_) => {
                roles.can(Permission::ManageIsms)
                    || (roles.can(Permission::EditOwn) && me.is_some() && self.owner_of(values) == me)
            }
        }
    }
    /// Whether `me` may change `before` into `after`: as [`Self::may_edit`],
    /// and a member who edits only as the owner keeps the owner, and every
    /// field only managers set, as they are.
    pub fn may_change(&self, roles: &RoleSet, me: Option<UserId>, before: &[Value], after: &[Value]) -> bool {
        let manager = roles.can(Permission::ManageIsms);
        let kept = |i: usize| before.get(i) == after.get(i);
        self.may_edit(roles, me, before)
            && (manager
                || (self.owner_of(before) == self.owner_of(after)
                    && self.fields.iter().enumerate().filter(|(_, f)| f.managers).all(|(i, _)| kept(i))))
    }
    /// The access rights of `me` on `rec`, which belongs to `up` when the
    /// register has a parent: then editing follows the right to edit `up`, and
    /// nothing changes while `up` is archived.
    pub fn access(&self, roles: &RoleSet, me: Option<UserId>, rec: &Record, up: Option<Up<'_>>) -> Access {
        let archiver = roles.can(self.archive);
        let (open, editor) = match up {
            Some(up) => (!up.rec.archived, up.reg.may_edit(roles, me, &up.rec.values)),
            None => (true, self.may_edit(roles, me, &rec.values)),
        };
        Access {
            edit: open && !rec.archived && editor,
            archive: open && !rec.archived && archiver,
            restore: open && rec.archived && archiver,
        }
    }

    /// The register a record of this one belongs to, and the link field naming it.
    pub fn parent_register(&self) -> Option<(&'static Register, usize)> {
        let i = self.index(self.parent?)?;
        match self.fields[i].kind {
            Kind::Link(key) => crate::registers::by_key(key).map(|r| (r, i)),
            _ => None,
        }
    }

    /// The registers whose records belong to records of this one.
    pub fn children(&self) -> impl Iterator<Item = &'static Register> + '_ {
        crate::registers::ALL.iter().copied().filter(|c| c.parent_register().is_some_and(|(p, _)| p.key == self.key))
    }

    /// Parses raw input (form fields or a JSON object's properties as text)
    /// into values, reporting every problem at once. Keys that are not fields
    /// are ignored here; the API refuses them before (see [`Self::unknown_keys`]).
    pub fn parse(&self, raw: &BTreeMap<String, String>) -> Result<Vec<Value>, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut out = Vec::with_capacity(self.fields.len());
        for f in self.fields {
            out.push(parse_field(&mut e, f, raw.get(f.name).map(String::as_str)));
        }
        if e.is_empty() {
            (self.rules)(&Values { reg: self, values: &out }, &mut e);
        }
        e.finish(out)
    }

    /// The keys of `raw` that are not fields of this register.
    pub fn unknown_keys<'a>(&self, keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        keys.filter(|k| self.index(k).is_none()).collect()
    }

    /// The raw form of stored values (to fill an edit form).
    pub fn raw(&self, values: &[Value]) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .zip(values)
            .filter_map(|(f, v)| match v {
                Value::Null => None,
                Value::Text(s) => Some((f.name.to_string(), s.clone())),
                Value::Bool(b) => Some((f.name.to_string(), b.to_string())),
                Value::Int(n) => Some((f.name.to_string(), n.to_string())),
                Value::List(v) if v.is_empty() => None,
                Value::List(v) => Some((f.name.to_string(), v.join(", "))),
            })
            .collect()
    }

    /// Parses list parameters (query string). `Err(BadParameter)` for a value
    /// that is not one of the allowed ones; parameters it does not know are ignored.
    pub fn query(&self, p: &BTreeMap<String, String>) -> Result<ListQuery, BadParameter> {
        let get = |k: &str| p.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
        let mut filters = Vec::new();
        for (i, f) in self.fields.iter().enumerate().filter(|(_, f)| f.filter) {
            let Some(v) = get(f.name) else { continue };
            let value = match f.kind {
                Kind::Choice { codes, .. } if codes.contains(&v) => Value::Text(v.to_string()),
                // Stored ids are lower case with hyphens: compare in that spelling.
                Kind::Member => Value::Text(UserId::parse(v).ok_or(BadParameter)?.as_text()),
                Kind::Bool if v == "true" || v == "false" => Value::Bool(v == "true"),
                Kind::Link(_) => Value::Text(RecordId::parse(v).ok_or(BadParameter)?.as_text()),
                // Records linked to this control.
                Kind::Controls(_) => Value::Text(control_id(v).ok_or(BadParameter)?.to_string()),
                // Records linked to this one.
                Kind::Records { .. } => Value::Text(RecordId::parse(v).ok_or(BadParameter)?.as_text()),
                Kind::Level { max, .. } => {
                    Value::Int(v.parse::<i64>().ok().filter(|n| (0..=i64::from(max)).contains(n)).ok_or(BadParameter)?)
                }
                Kind::Text(_) | Kind::Date | Kind::Url | Kind::Email => Value::Text(v.to_string()),
                _ => return Err(BadParameter),
            };
            filters.push((i, value));
        }
        let sort = match get("sort") {
            None => self.index(self.default_sort).map(Sort::Field).unwrap_or(Sort::Updated),
            Some("updated") => Sort::Updated,
            Some(s) => match self.index(s) {
                Some(i) if self.fields[i].sort => Sort::Field(i),
                _ => return Err(BadParameter),
            },
        };
        let desc = match get("dir") {
            None => get("sort").is_none() && self.default_desc,
            Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(BadParameter),
        };
        let number = |k: &str, default: u32, max: u32| match get(k) {
            None => Ok(default),
            Some(s) => s.parse::<u32>().ok().filter(|n| (1..=max).contains(n)).ok_or(BadParameter),
        };
        Ok(ListQuery {
            q: get("q").map(str::to_string),
            filters,
            archived: ArchiveFilter::parse(get("archived").unwrap_or("")).ok_or(BadParameter)?,
            sort,
            desc,
            page: number("page", 1, 1_000_000)?,
            per_page: number("per_page", PER_PAGE, PER_PAGE_MAX)?,
        })
    }

    /// The searchable text of a record (see `borgen-store`'s search column).
    pub fn search_text(&self, values: &[Value]) -> String {
        self.fields
            .iter()
            .zip(values)
            .filter(|(f, _)| f.search)
            .filter_map(|(_, v)| match v {
                Value::Text(s) => Some(s.to_lowercase()),
                Value::List(l) if !l.is_empty() => Some(l.join(" ").to_lowercase()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A valid value for each field, for tests and examples: the first choice,
    /// today's date, `member` for members, and text naming the field.
    pub fn sample(&self, member: &str) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .map(|f| {
                let v = match f.kind {
                    _ if f.example.is_some() => f.example.unwrap_or_default().to_string(),
                    // Who approves is one of top management: none in a sample.
                    Kind::Member if f.approver => String::new(),
                    Kind::Text(_) => format!("Sample {}", f.name.replace('_', " ")),
                    Kind::Date => "2026-11-30".into(),
                    Kind::Choice { codes, .. } => codes[0].to_string(),
                    Kind::Member => member.to_string(),
                    Kind::Bool => "true".into(),
                    Kind::Url => "https://intranet.example.nl/minutes".into(),
                    Kind::Email => "sample@example.nl".into(),
                    // A link names an existing record: none in a sample,
                    // unless it is required (the caller replaces it then).
                    Kind::Link(_) if f.required => RecordId::new().as_text(),
                    Kind::Link(_) => String::new(),
                    Kind::Controls(_) => "8.5, 5.17".into(),
                    Kind::Level { max, .. } => max.div_ceil(2).to_string(),
                    Kind::Number { decimals: 0 } => "12".into(),
                    Kind::Number { .. } => "12,5".into(),
                    // Links must name existing records: none in a sample.
                    Kind::Records { .. } => String::new(),
                };
                (f.name.to_string(), v)
            })
            .collect()
    }
}

/// The largest number a number field holds, in whole units.
const NUMBER_MAX: u64 = 999_999_999_999;

/// A number as typed (`-12`, `12.5`, `12,50`; no thousands separators) in
/// its stored spelling with exactly `decimals` digits after a point, or
/// `None` when it is not one or has more decimals.
pub fn number(typed: &str, decimals: u8) -> Option<String> {
    let t = typed.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int, frac) = match t.find(['.', ',']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) || frac.len() > usize::from(decimals) {
        return None;
    }
    let whole: u64 = if int.is_empty() { 0 } else { int.parse().ok().filter(|n| *n <= NUMBER_MAX)? };
    let frac = format!("{frac:0<width$}", width = usize::from(decimals));
    let zero = whole == 0 && frac.bytes().all(|b| b == b'0');
    let sign = if neg && !zero { "-" } else { "" };
    Some(if decimals == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac}") })
}

/// A stored number as a JSON number.
pub fn json_number(stored: &str) -> serde_json::Value {
    // Whole when it is: "95.00" is 95.
    let whole = match stored.split_once('.') {
        Some((w, f)) if f.bytes().all(|b| b == b'0') => w,
        _ => stored,
    };
    match whole.parse::<i64>() {
        Ok(n) => serde_json::Value::from(n),
        Err(_) => stored
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
    }
}

/// Whether linking record `own` to `targets` would let it reach itself, given
/// the other links of the same field, as (record, linked records).
pub fn would_cycle(links: &BTreeMap<String, Vec<String>>, own: &str, targets: &[String]) -> bool {
    let mut stack: Vec<&str> = targets.iter().map(String::as_str).collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(x) = stack.pop() {
        if x == own {
            return true;
        }
        if seen.insert(x)
            && let Some(next) = links.get(x)
        {
            stack.extend(next.iter().map(String::as_str));
        }
    }
    false
}

/// An Annex A id as typed ("8.5", "A.8.5", "a8.5") in the catalogue's spelling.
fn control_id(typed: &str) -> Option<&'static str> {
    crate::catalog::control(typed.trim().trim_start_matches(['A', 'a', '.'])).map(|c| c.id.as_str())
}

/// Annex A ids separated by commas, semicolons, spaces or lines: each known
/// to the catalogue, once, in the standard's order.
fn parse_controls(e: &mut FieldErrors, f: &Field, raw: Option<&str>) -> Value {
    let mut ids: Vec<&'static str> = Vec::new();
    for typed in raw.unwrap_or("").split([',', ';', ' ', '\n', '\r', '\t']).filter(|s| !s.trim().is_empty()) {
        match control_id(typed) {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => {
                e.add(f.name, "error.unknown_control");
                break;
            }
        }
    }
    if f.required && ids.is_empty() && e.for_field(f.name).is_none() {
        e.add(f.name, "error.required");
    }
    ids.sort_by_key(|id| crate::catalog::control(id).map(|c| c.order()));
    Value::List(ids.into_iter().map(str::to_string).collect())
}

/// Record ids separated by commas, semicolons, spaces or lines (a form's
/// ticked boxes, joined), each once, in their text order.
fn parse_records(e: &mut FieldErrors, f: &Field, raw: Option<&str>) -> Value {
    let mut ids: Vec<String> = Vec::new();
    for typed in raw.unwrap_or("").split([',', ';', ' ', '\n', '\r', '\t']).filter(|s| !s.trim().is_empty()) {
        match RecordId::parse(typed.trim()) {
            Some(id) => ids.push(id.as_text()),
            None => {
                e.add(f.name, "error.unknown_record");
                break;
            }
        }
    }
    ids.sort();
    ids.dedup();
    if f.required && ids.is_empty() && e.for_field(f.name).is_none() {
        e.add(f.name, "error.required");
    }
    Value::List(ids)
}

fn parse_field(e: &mut FieldErrors, f: &'static Field, raw: Option<&str>) -> Value {
    match f.kind {
        Kind::Controls(_) => return parse_controls(e, f, raw),
        Kind::Records { .. } => return parse_records(e, f, raw),
        _ => {}
    }
    let given = raw.map(str::trim).filter(|s| !s.is_empty());
    if let Kind::Level { max, .. } = f.kind {
        return match given.map(|v| v.parse::<u8>()) {
            None => Value::Int(0),
            Some(Ok(n)) if n <= max => Value::Int(i64::from(n)),
            Some(_) => {
                e.add(f.name, "error.unknown_value");
                Value::Int(0)
            }
        };
    }
    if given.is_none() && f.kind != Kind::Bool {
        if f.required {
            e.add(f.name, "error.required");
        }
        return Value::Null;
    }
    let v = given.unwrap_or("");
    let text = |s: String| Value::Text(s);
    match f.kind {
        Kind::Text(max) => text(text::required(e, f.name, Some(v), max)),
        Kind::Date => text::optional_date(e, f.name, Some(v)).map(text).unwrap_or(Value::Null),
        Kind::Choice { codes, .. } => {
            if !codes.contains(&v) {
                e.add(f.name, "error.unknown_value");
            }
            text(v.to_string())
        }
        Kind::Member => match UserId::parse(v) {
            Some(id) => text(id.as_text()),
            None => {
                e.add(f.name, "error.unknown_member");
                Value::Null
            }
        },
        Kind::Bool => match v {
            "" | "false" | "off" | "0" => Value::Bool(false),
            "true" | "on" | "1" => Value::Bool(true),
            _ => {
                e.add(f.name, "error.unknown_value");
                Value::Bool(false)
            }
        },
        Kind::Link(_) => match RecordId::parse(v) {
            Some(id) => text(id.as_text()),
            None => {
                e.add(f.name, "error.unknown_record");
                Value::Null
            }
        },
        Kind::Controls(_) => parse_controls(e, f, Some(v)),
        Kind::Records { .. } => parse_records(e, f, Some(v)),
        Kind::Level { .. } => Value::Int(0),
        Kind::Number { decimals } => match number(v, decimals) {
            Some(n) => text(n),
            None => {
                // "1.000" with fewer decimals is a thousands separator, not three decimals.
                let thousands = v.rsplit(['.', ',']).next().is_some_and(|f| f.len() == 3) && decimals < 3;
                let key =
                    if number(v, 12).is_some() && !thousands { "error.too_many_decimals" } else { "error.bad_number" };
                e.add(f.name, key);
                Value::Null
            }
        },
        Kind::Email => {
            let mut probe = FieldErrors::default();
            let v = text::email(&mut probe, f.name, Some(v));
            if !probe.is_empty() {
                e.add(f.name, "error.bad_email");
            }
            text(v)
        }
        Kind::Url => {
            let lower = v.to_ascii_lowercase();
            let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
            if v.chars().count() > 2000
                || rest.is_none_or(str::is_empty)
                || v.contains(char::is_whitespace)
                || text::bad_chars(v, false).is_some()
            {
                e.add(f.name, "error.bad_url");
            }
            text(v.to_string())
        }
    }
}

/// A record as JSON: `id`, each field by name (dates and codes as text,
/// members as ids, empty as `null`), `archived`, `created_at`, `updated_at`,
/// and, when given, the acting member's `access`. The audit trail stores the
/// same shape without `access`.
pub struct RecordJson<'a> {
    pub reg: &'a Register,
    pub rec: &'a Record,
    pub access: Option<Access>,
}

impl serde::Serialize for RecordJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &self.rec.id)?;
        for (f, v) in self.reg.fields.iter().zip(&self.rec.values) {
            match v {
                Value::Null => m.serialize_entry(f.name, &None::<String>)?,
                Value::Text(t) if matches!(f.kind, Kind::Number { .. }) => {
                    m.serialize_entry(f.name, &json_number(t))?
                }
                Value::Text(t) => m.serialize_entry(f.name, t)?,
                Value::Bool(b) => m.serialize_entry(f.name, b)?,
                Value::Int(n) => m.serialize_entry(f.name, n)?,
                Value::List(l) => m.serialize_entry(f.name, l)?,
            }
        }
        if self.reg.fields.iter().any(|f| f.raised_by.is_some()) {
            m.serialize_entry("effective", &self.rec.effective)?;
        }
        m.serialize_entry("archived", &self.rec.archived)?;
        m.serialize_entry("created_at", &self.rec.created_at)?;
        m.serialize_entry("updated_at", &self.rec.updated_at)?;
        if let Some(a) = &self.access {
            m.serialize_entry("access", a)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::{ALL, COMMUNICATION, ISMS_CHANGES, LEADERSHIP_EVIDENCE};
    use crate::role::Role;

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn every_declaration_is_consistent() {
        let mut keys = std::collections::BTreeSet::new();
        for r in ALL {
            assert!(keys.insert(r.key), "{} declared twice", r.key);
            for (what, v) in [("key", r.key), ("locale", r.locale), ("table", r.table), ("path", r.path)] {
                assert!(!v.is_empty(), "{}: {what} is declared", r.key);
            }
            for (what, v) in [("api", r.api), ("schema", r.schema), ("area", r.area), ("clause", r.clause)] {
                assert!(!v.is_empty(), "{}: {what} is declared", r.key);
            }
            assert!(r.field(r.title).is_some_and(|f| f.required), "{}: the title field is required", r.key);
            assert!(r.field(r.default_sort).is_some_and(|f| f.sort), "{}: default sort is sortable", r.key);
            if let Edit::OwnerOr(f) = r.edit {
                assert_eq!(r.field(f).map(|f| f.kind), Some(Kind::Member), "{}: the owner is a member", r.key);
            }
            for f in r.fields {
                assert!(!LIST_PARAMS.contains(&f.name) && f.name != "id", "{}.{} clashes", r.key, f.name);
                assert!(!(f.filter && matches!(f.kind, Kind::Text(_))), "{}.{}: filter on text", r.key, f.name);
                assert!(f.is_column() || !(f.sort || f.managers), "{}.{}: many values", r.key, f.name);
                assert!(!f.approver || f.kind == Kind::Member, "{}.{}: an approver is a member", r.key, f.name);
                assert!(!r.unique.contains(&f.name) || f.is_column(), "{}.{}: unique columns", r.key, f.name);
                let number = matches!(f.kind, Kind::Number { .. });
                assert!(!number || !(f.sort || f.filter || f.search), "{}.{}: numbers are shown only", r.key, f.name);
            }
            for f in r.fields {
                if let Kind::Records { register, .. } = f.kind {
                    assert!(crate::registers::by_key(register).is_some(), "{}.{}: declared target", r.key, f.name);
                    assert!(
                        f.acyclic.is_none() || register == r.key,
                        "{}.{}: acyclic within one register",
                        r.key,
                        f.name
                    );
                }
                if let Some(through) = f.raised_by {
                    let ok = matches!(f.kind, Kind::Level { .. })
                        && r.field(through)
                            .is_some_and(|t| matches!(t.kind, Kind::Records { register, .. } if register == r.key));
                    assert!(ok, "{}.{}: a level raised through links to its own register", r.key, f.name);
                }
                if let Kind::Link(key) | Kind::Records { register: key, .. } = f.kind {
                    // The target's page lists the records naming it, with a link to
                    // all of them: the list filtered by this field, titled in both languages.
                    if r.parent != Some(f.name) {
                        assert!(f.filter, "{}.{}: a link is filterable", r.key, f.name);
                        let from = format!("{}.{}_from", r.locale, f.name);
                        for l in crate::i18n::Lang::ALL {
                            assert_ne!(crate::i18n::t(l, &from), from, "{from} in {l:?}");
                        }
                    }
                    // Links are shown by their target's title, read as a column.
                    let target = crate::registers::by_key(key).and_then(|t| t.field(t.title));
                    assert!(
                        target.is_some_and(|t| matches!(t.kind, Kind::Text(_))),
                        "{}.{}: titled target",
                        r.key,
                        f.name
                    );
                }
                if let Kind::Link(key) = f.kind {
                    assert!(
                        crate::registers::by_key(key).is_some(),
                        "{}.{} links to a declared register",
                        r.key,
                        f.name
                    );
                }
            }
            if let Some(p) = r.parent {
                let (up, i) = r.parent_register().expect("the parent field links to a declared register");
                assert!(r.fields[i].required && r.fields[i].filter, "{}.{p}", r.key);
                assert!(up.parent.is_none(), "{}: one level of parents", r.key);
                assert_eq!(r.edit, Edit::Managers, "{}: editing follows the parent", r.key);
            }
            if let Some(s) = r.summary {
                assert!(r.parent.is_some() && r.field(s).is_some_and(|f| f.kind == Kind::Bool), "{}.{s}", r.key);
            }
            // A sample of valid values is valid.
            r.parse(&r.sample(&UserId::new().as_text())).unwrap_or_else(|e| panic!("{}: {e:?}", r.key));
        }
    }

    #[test]
    fn numbers_are_kept_in_one_spelling() {
        for (typed, two, none) in [
            ("12", Some("12.00"), Some("12")),
            ("12,5", Some("12.50"), None),
            (" 12.55 ", Some("12.55"), None),
            ("-0,0", Some("0.00"), None),
            ("-3", Some("-3.00"), Some("-3")),
            (".5", Some("0.50"), None),
            ("12.555", None, None),
            ("1.000,50", None, None),
            ("12 500", None, None),
            ("", None, None),
            ("-", None, None),
            ("1e5", None, None),
            ("9999999999999", None, None),
        ] {
            assert_eq!(number(typed, 2).as_deref(), two, "{typed:?} with two decimals");
            assert_eq!(number(typed, 0).as_deref(), none, "{typed:?} whole");
        }
        assert_eq!(json_number("12.50"), serde_json::json!(12.5));
        assert_eq!(json_number("12"), serde_json::json!(12));
        assert_eq!(json_number("95.00"), serde_json::json!(95));
        // As a field: three digits after a separator read as thousands, more as too many decimals.
        let r = &crate::registers::RESOURCES;
        for (typed, key) in
            [("1.000", "error.bad_number"), ("1,5555", "error.too_many_decimals"), ("twelve", "error.bad_number")]
        {
            let e = r.parse(&raw(&[("year", "2027"), ("purpose", "Audit"), ("amount", typed)])).unwrap_err();
            assert_eq!(e.for_field("amount"), Some(key), "{typed}");
        }
        assert_eq!(json_number("-0.50"), serde_json::json!(-0.5));
    }

    #[test]
    fn loops_are_found() {
        let links: BTreeMap<String, Vec<String>> = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec![])]
            .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
            .into();
        assert!(would_cycle(&links, "c", &["a".into()]));
        assert!(!would_cycle(&links, "a", &["c".into()]));
        assert!(would_cycle(&links, "a", &["a".into()]));
    }

    #[test]
    fn levels_and_record_links_are_parsed() {
        use crate::registers::ASSETS;
        let (x, y) = (RecordId::new().as_text(), RecordId::new().as_text());
        let v = ASSETS
            .parse(&raw(&[
                ("name", "NAS"),
                ("asset_type", "hardware"),
                ("need_c", "4"),
                ("supports", &format!("{y}, {x},{y}")),
            ]))
            .unwrap();
        let vals = Values { reg: &ASSETS, values: &v };
        assert_eq!(vals.get("need_c"), &Value::Int(4));
        assert_eq!(vals.get("need_i"), &Value::Int(0), "blank is not set");
        let mut both = vec![x.clone(), y.clone()];
        both.sort();
        assert_eq!(vals.list("supports"), both.as_slice(), "each once, in order");
        let e = ASSETS
            .parse(&raw(&[("name", "NAS"), ("asset_type", "hardware"), ("need_a", "5"), ("supports", "server")]))
            .unwrap_err();
        assert_eq!(e.for_field("need_a"), Some("error.unknown_value"));
        assert_eq!(e.for_field("supports"), Some("error.unknown_record"));
    }

    #[test]
    fn every_problem_is_reported_at_once_in_place() {
        let e = LEADERSHIP_EVIDENCE
            .parse(&raw(&[("date", "30-11-2026"), ("kind", "bribe"), ("who", "bob"), ("link", "javascript:alert(1)")]))
            .unwrap_err();
        assert_eq!(e.for_field("date"), Some("error.bad_date"));
        assert_eq!(e.for_field("kind"), Some("error.unknown_value"));
        assert_eq!(e.for_field("who"), Some("error.unknown_member"));
        assert_eq!(e.for_field("link"), Some("error.bad_url"));
        assert_eq!(e.for_field("description"), Some("error.required"));
    }

    #[test]
    fn a_decided_change_names_who_decided_and_when() {
        let mut r = ISMS_CHANGES.sample(&UserId::new().as_text());
        r.remove("decided_by");
        r.remove("decided_on");
        r.insert("status".into(), "approved".into());
        let e = ISMS_CHANGES.parse(&r).unwrap_err();
        assert_eq!(e.for_field("decided_by"), Some("error.decision_who"));
        assert_eq!(e.for_field("decided_on"), Some("error.decision_when"));
        r.insert("status".into(), "proposed".into());
        assert!(ISMS_CHANGES.parse(&r).is_ok());
    }

    #[test]
    fn list_parameters_are_checked() {
        let q = COMMUNICATION.query(&raw(&[("channel", "meeting"), ("sort", "subject"), ("dir", "desc")])).unwrap();
        assert_eq!(q.filters.len(), 1);
        assert!(q.desc);
        for bad in [("channel", "pigeon"), ("sort", "notes"), ("dir", "up"), ("per_page", "501"), ("page", "0")] {
            assert!(COMMUNICATION.query(&raw(&[bad])).is_err(), "{bad:?}");
        }
        // The default sort of the leadership log is newest first.
        let q = LEADERSHIP_EVIDENCE.query(&BTreeMap::new()).unwrap();
        assert!(q.desc);
        assert_eq!(q.per_page, PER_PAGE);
    }

    #[test]
    fn access_follows_the_role_table_and_ownership() {
        let me = UserId::new();
        let mut values = ISMS_CHANGES.parse(&ISMS_CHANGES.sample(&me.as_text())).unwrap();
        let rec = Record {
            id: RecordId::new(),
            values: values.clone(),
            effective: BTreeMap::new(),
            archived: false,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let roles = |r: Role| RoleSet(vec![r]);
        let a = |r: Role| ISMS_CHANGES.access(&roles(r), Some(me), &rec, None);
        assert_eq!(a(Role::IsmsManager), Access { edit: true, archive: true, restore: false });
        assert_eq!(a(Role::Contributor), Access { edit: true, archive: false, restore: false });
        assert_eq!(a(Role::TopManagement), Access::default());
        assert_eq!(a(Role::Auditor), Access::default());
        // Not the owner: a contributor may not edit.
        assert!(!ISMS_CHANGES.access(&roles(Role::Contributor), Some(UserId::new()), &rec, None).edit);
        // The owner may not hand the record to someone else; the manager may.
        let i = ISMS_CHANGES.index("owner_id").unwrap();
        let before = values.clone();
        values[i] = Value::Text(UserId::new().as_text());
        assert!(!ISMS_CHANGES.may_change(&roles(Role::Contributor), Some(me), &before, &values));
        assert!(ISMS_CHANGES.may_change(&roles(Role::IsmsManager), Some(me), &before, &values));
        // A field only managers set: the owner may not change it, the manager may.
        let s = ISMS_CHANGES.index("status").unwrap();
        let mut decided = before.clone();
        decided[s] = Value::Text("approved".into());
        assert!(!ISMS_CHANGES.may_change(&roles(Role::Contributor), Some(me), &before, &decided));
        assert!(ISMS_CHANGES.may_change(&roles(Role::IsmsManager), Some(me), &before, &decided));
        // Archived: nothing to edit, the manager may restore.
        let archived = Record { archived: true, ..rec };
        assert_eq!(
            ISMS_CHANGES.access(&roles(Role::IsmsManager), Some(me), &archived, None),
            Access { edit: false, archive: false, restore: true }
        );
        // A register edited by managers only.
        assert!(!LEADERSHIP_EVIDENCE.may_edit(&roles(Role::Contributor), Some(me), &before));
    }

    #[test]
    fn a_record_that_belongs_to_another_follows_it() {
        use crate::registers::{INTERESTED_PARTIES, REQUIREMENTS};
        let me = UserId::new();
        let rec = |reg: &Register, archived: bool| Record {
            id: RecordId::new(),
            values: reg.parse(&reg.sample(&me.as_text())).unwrap(),
            effective: BTreeMap::new(),
            archived,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let roles = |r: Role| RoleSet(vec![r]);
        let (party, req) = (rec(&INTERESTED_PARTIES, false), rec(&REQUIREMENTS, false));
        let up = Some(Up { reg: &INTERESTED_PARTIES, rec: &party });
        // The party's owner edits its requirements; archiving stays the manager's.
        assert_eq!(
            REQUIREMENTS.access(&roles(Role::Contributor), Some(me), &req, up),
            Access { edit: true, archive: false, restore: false }
        );
        assert!(!REQUIREMENTS.access(&roles(Role::Contributor), Some(UserId::new()), &req, up).edit);
        assert!(REQUIREMENTS.access(&roles(Role::IsmsManager), None, &req, up).archive);
        // Nothing changes under an archived party.
        let gone = Record { archived: true, ..party.clone() };
        let up = Some(Up { reg: &INTERESTED_PARTIES, rec: &gone });
        assert_eq!(REQUIREMENTS.access(&roles(Role::IsmsManager), Some(me), &req, up), Access::default());
        // An addressed requirement says how.
        let mut raw = REQUIREMENTS.sample(&me.as_text());
        raw.remove("how_addressed");
        assert_eq!(
            REQUIREMENTS.parse(&raw).unwrap_err().for_field("how_addressed"),
            Some("error.how_addressed_required")
        );
        assert_eq!(INTERESTED_PARTIES.children().map(|c| c.key).collect::<Vec<_>>(), ["requirement"]);
    }
}
