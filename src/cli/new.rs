//! `rolebook new ID --title … --reports-to …`: a fully commented position file that passes
//! `check`.

use std::path::PathBuf;

use anyhow::{Context, bail};

use super::{Outcome, default_dir, print};
use crate::author::{FromTemplate, NewPosition, extends_file, position_file};
use crate::load::{Loaded, TEMPLATES_DIR, TemplateInfo, load_dir, valid_id};
use crate::model::Superior;
use crate::schema::{self, Of};
use crate::util::did_you_mean;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  rolebook new cs-specialist --title 客服专员 --reports-to cs-supervisor\n\n\
The department is taken from the superior unless --department is given; the level is inferred \
from the end of the title (…专员 → 专员) unless --level is given. The file starts with \
`#:schema ./.schema/position.json`, the schema editors complete keys from (rolebook schema --help); \
the schema file is written too when the folder has none."
)]
pub struct Args {
    /// The new position's id: its file name without .toml (letters, digits, - and _)
    pub id: String,
    /// 岗位名称, e.g. 客服专员 (with --extends: the template's unless given)
    #[arg(long, required_unless_present = "extends")]
    pub title: Option<String>,
    /// 直接上级: a position id or an [external] id of _org.toml
    #[arg(long)]
    pub reports_to: Option<String>,
    /// 所在部门 (default: the superior's)
    #[arg(long)]
    pub department: Option<String>,
    /// 职级, when the title does not end in one
    #[arg(long)]
    pub level: Option<String>,
    /// 岗位编号
    #[arg(long)]
    pub code: Option<String>,
    /// Take every field not given here from this template (its id: a file in
    /// positions/_templates/); the file written holds only what differs
    #[arg(long, value_name = "TEMPLATE")]
    pub extends: Option<String>,
    /// The positions folder to write into
    #[arg(long, default_value_os_t = default_dir())]
    pub dir: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if !valid_id(&args.id) {
        bail!(
            "`{}` is not a valid id: use letters, digits, `-` and `_` (it becomes the file name)",
            args.id
        );
    }
    if args.id.starts_with('_') {
        bail!(
            "`{}` cannot be a position id: names starting with `_` are reserved \
             (`_org` is the organization file, {}); choose an id without the leading `_`",
            args.id,
            crate::load::ORG_FILE
        );
    }
    let loaded = load_dir(&args.dir)
        .with_context(|| "run `rolebook init` first to create the positions folder".to_string())?;
    let org = &loaded.org;
    if loaded.is_known_id(&args.id) {
        bail!(
            "a position `{}` already exists in {}",
            args.id,
            args.dir.display()
        );
    }
    let template = match &args.extends {
        Some(t) => Some(template(&loaded, t, &args)?),
        None => None,
    };
    let inherited = |f: fn(&TemplateInfo) -> &Option<String>| template.and_then(|t| f(t).clone());
    let Some(title) = args.title.clone().or_else(|| inherited(|t| &t.title)) else {
        bail!("give --title (岗位名称): the template has none");
    };
    let reports_to = args
        .reports_to
        .clone()
        .or_else(|| inherited(|t| &t.reports_to));
    let mut department = args.department.clone();
    if let Some(r) = &reports_to {
        if matches!(org.resolve(r), Superior::Unknown) && !loaded.is_known_id(r) {
            let ids: Vec<&str> = org
                .positions
                .iter()
                .map(|p| p.id.as_str())
                .chain(org.settings.external.iter().map(|e| e.id.value.as_str()))
                .collect();
            let by_title = org.positions.iter().find(|p| p.title.value == *r);
            let hint = match (by_title, did_you_mean(r, &ids)) {
                (Some(p), _) => format!(
                    "; {r} is the title of `{}`: use --reports-to {}",
                    p.id, p.id
                ),
                (None, Some(s)) => format!("; did you mean `{s}`?"),
                (None, None) => String::new(),
            };
            bail!("--reports-to `{r}` is neither a position nor an [external] id{hint}");
        }
        if department.is_none() && args.reports_to.is_some() {
            let probe = org.get(r).map(|p| p.department.value.clone());
            department = probe;
        }
    }
    let department = department.or_else(|| inherited(|t| &t.department));
    let Some(department) = department else {
        bail!("give --department (所在部门): there is no superior position to take it from");
    };
    let settings = &org.settings;
    let level = args.level.clone().or_else(|| inherited(|t| &t.level));
    let inferred = settings.infer_level(&title);
    if let Some(l) = &level {
        if settings.level_index(l).is_none() {
            let names: Vec<&str> = settings.levels.iter().map(|l| l.value.as_str()).collect();
            bail!(
                "--level `{l}` is not one of the levels: {}",
                names.join(", ")
            );
        }
    } else if inferred.is_none() {
        let names: Vec<&str> = settings.levels.iter().map(|l| l.value.as_str()).collect();
        bail!(
            "cannot infer the level of `{}` from its title: give --level (one of {})",
            title,
            names.join(", ")
        );
    }
    // A superior of the same or a lower level is an error `check` would report: say it now.
    let own = level
        .as_deref()
        .and_then(|l| settings.level_index(l))
        .or(inferred);
    if let (Some(r), Some(own)) = (&reports_to, own) {
        let sup = match org.resolve(r) {
            Superior::Position(s) => s.level_index,
            Superior::External(e) => e.level_index,
            _ => None,
        };
        if sup.is_some_and(|s| s <= own) {
            bail!(
                "`{r}` is not of a higher level than {}: a position reports to a higher level",
                title
            );
        }
    }
    let text = match template {
        // Only what differs from the template.
        Some(t) => {
            fn differs<'v>(v: Option<&'v str>, of: &Option<String>) -> Option<&'v str> {
                v.filter(|v| of.as_deref() != Some(*v))
            }
            extends_file(&FromTemplate {
                extends: &t.id,
                title: differs(Some(&title), &t.title),
                department: differs(Some(&department), &t.department),
                reports_to: differs(reports_to.as_deref(), &t.reports_to),
                level: differs(args.level.as_deref(), &t.level),
                code: args.code.as_deref(),
            })
        }
        None => position_file(&NewPosition {
            title: &title,
            department: &department,
            reports_to: reports_to.as_deref(),
            level: args.level.as_deref(),
            code: args.code.as_deref(),
        }),
    };
    let text = format!("{}{text}", schema::directive(Of::Position));
    let path = args.dir.join(format!("{}.toml", args.id));
    crate::output::create_atomic(&path, text.as_bytes())
        .with_context(|| format!("failed to write {}", path.display()))?;
    let also = match write_schema(&args.dir, Of::Position)? {
        Some(written) => format!(" and {written}, the schema its first line names for editors"),
        None => String::new(),
    };
    let next = match template {
        Some(t) => format!("every field it does not write comes from template {}", t.id),
        None => "fill in the summary, duties and KPIs".to_string(),
    };
    print(&format!(
        "wrote {}{also}: {next}, then run `rolebook check {}`\n",
        crate::diag::display_path(&path),
        crate::diag::display_path(&args.dir)
    ))?;
    Ok(Outcome::Ok)
}

/// Writes the editor schema `of` into the positions folder `dir` when it is not there yet
/// (with the levels of the folder's `_org.toml`); returns the path written. An existing schema
/// file is left as it is.
pub(crate) fn write_schema(dir: &std::path::Path, of: Of) -> anyhow::Result<Option<String>> {
    let folder = dir.join(schema::DIR);
    let path = folder.join(of.file_name());
    if std::fs::symlink_metadata(&path).is_ok() {
        return Ok(None);
    }
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("failed to create {}", folder.display()))?;
    let text = schema::json(of, schema::levels_in(dir).as_deref());
    crate::output::create_atomic(&path, text.as_bytes())
        .with_context(|| format!("failed to write {}", path.display()))?;
    Ok(Some(crate::diag::display_path(&path)))
}

/// The template `--extends` names, usable; else why not, with the closest id.
fn template<'a>(loaded: &'a Loaded, name: &str, args: &Args) -> anyhow::Result<&'a TemplateInfo> {
    let dir = crate::diag::display_path(&args.dir);
    match loaded.templates.iter().find(|t| t.id == name) {
        Some(t) if t.usable => Ok(t),
        Some(_) => {
            bail!("template `{name}` has errors: run `rolebook check {dir}` and fix them first")
        }
        None => {
            let ids: Vec<&str> = loaded.templates.iter().map(|t| t.id.as_str()).collect();
            let hint = if loaded.org.get(name).is_some() {
                format!("; `{name}` is a position: templates are files in {dir}/{TEMPLATES_DIR}/")
            } else if let Some(s) = did_you_mean(name, &ids) {
                format!("; did you mean `{s}`?")
            } else if ids.is_empty() {
                format!(
                    "; {dir}/{TEMPLATES_DIR}/ has no templates: write {dir}/{TEMPLATES_DIR}/{name}.toml \
                     with the fields the positions share"
                )
            } else {
                format!("; the templates are: {}", ids.join(", "))
            };
            bail!("--extends `{name}` is not a template{hint}")
        }
    }
}
