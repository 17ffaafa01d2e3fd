//! Reading a medication line as people write it — "Metformin 500 mg BID", "Zestoretic 20-12.5 mg
//! daily", "Albuterol inhaler 2 puffs q4h PRN" — into its parts: the drug (matched against the
//! table), strength (combination strengths too), dose, route, how often, salt and release form.
//! What could not be read is kept as text, never dropped.

use serde::Serialize;

use super::table::{DrugTable, Product, normalise};
use crate::model::{Frequency, PeriodUnit, Quantity, format_number};
use crate::msg;
use crate::said::{Said, Word};

/// Immediate, extended (ER, XR, XL, SR, CR, LA, 24 hr) or delayed (DR, EC) release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    Immediate,
    Extended,
    Delayed,
}

impl Release {
    pub fn from_word(word: &str) -> Option<Self> {
        Some(match word {
            "ir" | "immediate" => Self::Immediate,
            "er" | "xr" | "xl" | "sr" | "cr" | "la" | "cd" | "xt" | "extended" | "24hr" | "12hr" => Self::Extended,
            "dr" | "ec" | "delayed" => Self::Delayed,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Immediate => crate::msg!("immediate release"),
            Self::Extended => crate::msg!("extended release"),
            Self::Delayed => crate::msg!("delayed release"),
        }
    }
}

/// A strength: one value per ingredient of a combination ("20-12.5 mg" is [20, 12.5] mg), in a
/// unit normalised for comparison (mg for masses; "unit" for units and IU).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Strength {
    pub values: Vec<f64>,
    /// "" when the line gave no unit ("Norco 5/325", "Advair 250/50").
    pub unit: String,
    /// The numbers as written, for comparing with a line that gave no unit.
    #[serde(skip)]
    pub written: Vec<f64>,
}

impl Strength {
    pub fn text(&self) -> String {
        let values: Vec<String> = self.values.iter().map(|v| format_number(*v)).collect();
        format!("{} {}", values.join("-"), self.unit).trim_end().to_owned()
    }

    /// The same strength: the same amounts in the same unit, or the same numbers where one line
    /// gave no unit.
    pub fn same_as(&self, other: &Strength) -> bool {
        if self.unit.is_empty() || other.unit.is_empty() {
            self.written == other.written
        } else {
            self.unit == other.unit
                && self.values.len() == other.values.len()
                && self.values.iter().zip(&other.values).all(|(a, b)| (a - b).abs() < 1e-9)
        }
    }
}

/// How much per intake: "2 puffs", "1-2 tablets", "20 units".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dose {
    pub low: f64,
    pub high: f64,
    pub unit: String,
}

impl Dose {
    pub fn text(&self) -> String {
        self.said().english()
    }

    /// The amount in the reader's words: "1 tablet", "2 puffs", "1-2 tablets", "20 mL"; the
    /// number as the line gave it.
    pub fn said(&self) -> Said {
        let amount = if self.low == self.high {
            format_number(self.high)
        } else {
            format!("{}-{}", format_number(self.low), format_number(self.high))
        };
        let Some((one, other)) = DOSE_WORDS.into_iter().find(|(one, _)| one.strip_prefix("{n} ") == Some(&self.unit))
        else {
            // "mL": a symbol, the same in every language.
            return Said::new("{n} {unit}").typed("n", amount).typed("unit", self.unit.clone());
        };
        // A whole number takes the form its count takes; a fraction or a range reads as more
        // than one ("0.5 tablets", "1-2 tablets"), as in English and Spanish (2 stands for
        // "more than one" in the two-form languages the app has).
        let count = if self.low == self.high && self.high.fract() == 0.0 { self.high as u64 } else { 2 };
        Said { template: one, values: vec![("n", Word::Typed(amount))], other: Some((count, other)) }
    }
}

/// An amount of each unit it is counted in (`DOSE_UNITS`' names, read off the English for one),
/// as the reader writes one and more.
const DOSE_WORDS: [(&str, &str); 13] = [
    (msg!("{n} tablet"), msg!("{n} tablets")),
    (msg!("{n} capsule"), msg!("{n} capsules")),
    (msg!("{n} puff"), msg!("{n} puffs")),
    (msg!("{n} drop"), msg!("{n} drops")),
    (msg!("{n} spray"), msg!("{n} sprays")),
    (msg!("{n} patch"), msg!("{n} patches")),
    (msg!("{n} unit"), msg!("{n} units")),
    (msg!("{n} vial"), msg!("{n} vials")),
    (msg!("{n} sachet"), msg!("{n} sachets")),
    (msg!("{n} scoop"), msg!("{n} scoops")),
    (msg!("{n} application"), msg!("{n} applications")),
    (msg!("{n} suppository"), msg!("{n} suppositories")),
    (msg!("{n} lozenge"), msg!("{n} lozenges")),
];

/// How often, as the model stores it, and a time of day when the line names one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Schedule {
    pub times: u32,
    pub every: u32,
    #[serde(serialize_with = "unit_name")]
    pub unit: PeriodUnit,
    /// "at bedtime", "in the morning", "in the evening" (`msg!` texts).
    pub when: Option<&'static str>,
}

fn unit_name<S: serde::Serializer>(unit: &PeriodUnit, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(unit.ucum())
}

impl Schedule {
    fn daily(times: u32) -> Self {
        Self { times, every: 1, unit: PeriodUnit::Day, when: None }
    }

    /// Intakes a day, for comparing "q12h" with "BID".
    pub fn per_day(&self) -> f64 {
        let days = match self.unit {
            PeriodUnit::Hour => 1.0 / 24.0,
            PeriodUnit::Day => 1.0,
            PeriodUnit::Week => 7.0,
            PeriodUnit::Month => 30.0,
        };
        f64::from(self.times) / (f64::from(self.every) * days)
    }

    pub fn text(&self) -> String {
        self.said().english()
    }

    /// How often, as a sentence the reader's language writes ("twice a day", "dos veces al
    /// día"); a time of day the line named follows, in the reader's words too.
    pub fn said(&self) -> Said {
        // Every N hours reads better as "n times a day" when it divides the day.
        let frequency = match self.unit {
            PeriodUnit::Hour if self.times == 1 && 24 % self.every == 0 => {
                Frequency::Scheduled { times: 24 / self.every, every: 1, unit: PeriodUnit::Day }
            }
            unit => Frequency::Scheduled { times: self.times, every: self.every, unit },
        };
        match self.when {
            // A space between two parts, which every language the app has keeps.
            Some(when) => Said::new("{how_often} {when}").part("how_often", frequency.said()).fixed("when", when),
            None => frequency.said(),
        }
    }
}

/// One line, read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MedLine {
    /// As given.
    pub text: String,
    /// The drug's name as written (the words matched against the table).
    pub name: String,
    /// Generic names it stands for, sorted; empty when the table does not know it.
    pub ingredients: Vec<&'static str>,
    /// The table's name it was read as, when the line had a slip of spelling ("metfromin").
    pub read_as: Option<String>,
    pub salt: Option<String>,
    pub release: Option<Release>,
    pub strength: Option<Strength>,
    pub dose: Option<Dose>,
    /// "by mouth", "inhaled" (`msg!` texts: the reader's words on screen; the English is stored).
    pub route: Option<&'static str>,
    pub form: Option<&'static str>,
    pub schedule: Option<Schedule>,
    pub as_needed: bool,
    /// Words that were not understood, in order.
    pub unread: Vec<String>,
}

const SALTS: &[&str] = &[
    "hydrochloride",
    "hcl",
    "sodium",
    "potassium",
    "calcium",
    "magnesium",
    "tartrate",
    "succinate",
    "besylate",
    "maleate",
    "mesylate",
    "citrate",
    "sulfate",
    "sulphate",
    "fumarate",
    "bromide",
    "acetate",
    "phosphate",
    "hyclate",
    "monohydrate",
    "bitartrate",
    "propionate",
    "furoate",
    "hydrobromide",
    "oxalate",
    "carbonate",
    "medoxomil",
    "cilexetil",
    "axetil",
    "etexilate",
    "bisulfate",
    "dipropionate",
    "chloride",
    "tromethamine",
];

const FORMS: &[(&str, &str)] = &[
    ("tablet", "tablet"),
    ("tablets", "tablet"),
    ("tab", "tablet"),
    ("tabs", "tablet"),
    ("capsule", "capsule"),
    ("capsules", "capsule"),
    ("cap", "capsule"),
    ("caps", "capsule"),
    ("inhaler", "inhaler"),
    ("hfa", "inhaler"),
    ("mdi", "inhaler"),
    ("diskus", "inhaler"),
    ("nebulizer", "nebulizer solution"),
    ("neb", "nebulizer solution"),
    ("patch", "patch"),
    ("solution", "solution"),
    ("suspension", "suspension"),
    ("syrup", "syrup"),
    ("liquid", "liquid"),
    ("cream", "cream"),
    ("ointment", "ointment"),
    ("gel", "gel"),
    ("injection", "injection"),
    ("inj", "injection"),
    ("pen", "pen"),
    ("drops", "drops"),
    ("spray", "spray"),
    ("chewable", "chewable tablet"),
    ("lozenge", "lozenge"),
    ("suppository", "suppository"),
];

const ROUTES: &[(&str, &str)] = &[
    ("po", msg!("by mouth")),
    ("oral", msg!("by mouth")),
    ("orally", msg!("by mouth")),
    ("sl", msg!("under the tongue")),
    ("sublingual", msg!("under the tongue")),
    ("inh", msg!("inhaled")),
    ("inhaled", msg!("inhaled")),
    ("inhalation", msg!("inhaled")),
    ("top", msg!("on the skin")),
    ("topical", msg!("on the skin")),
    ("topically", msg!("on the skin")),
    ("im", msg!("into a muscle")),
    ("intramuscular", msg!("into a muscle")),
    ("iv", msg!("into a vein")),
    ("intravenous", msg!("into a vein")),
    ("sc", msg!("under the skin")),
    ("sq", msg!("under the skin")),
    ("subq", msg!("under the skin")),
    ("subcut", msg!("under the skin")),
    ("subcutaneous", msg!("under the skin")),
    ("subcutaneously", msg!("under the skin")),
    ("pr", msg!("rectal")),
    ("rectal", msg!("rectal")),
    ("rectally", msg!("rectal")),
    ("nasal", msg!("in the nose")),
    ("intranasal", msg!("in the nose")),
    ("ophthalmic", msg!("in the eye")),
    ("transdermal", msg!("through the skin")),
    ("vaginal", msg!("vaginal")),
    ("pv", msg!("vaginal")),
];

/// Units of strength (per tablet, per dose form) and the factor to the comparison unit.
const STRENGTH_UNITS: &[(&str, &str, f64)] = &[
    ("mg", "mg", 1.0),
    ("milligram", "mg", 1.0),
    ("milligrams", "mg", 1.0),
    ("mcg", "mg", 0.001),
    ("ug", "mg", 0.001),
    ("µg", "mg", 0.001),
    ("microgram", "mg", 0.001),
    ("micrograms", "mg", 0.001),
    ("g", "mg", 1000.0),
    ("gm", "mg", 1000.0),
    ("gram", "mg", 1000.0),
    ("grams", "mg", 1000.0),
    ("meq", "mEq", 1.0),
    ("%", "%", 1.0),
    ("mg/ml", "mg/mL", 1.0),
    ("mg/5ml", "mg/5 mL", 1.0),
    ("mcg/act", "mcg/actuation", 1.0),
    ("mcg/actuation", "mcg/actuation", 1.0),
    ("units/ml", "units/mL", 1.0),
    ("mg/hr", "mg/hour", 1.0),
    ("mcg/hr", "mcg/hour", 1.0),
];

/// Units an intake is counted in.
const DOSE_UNITS: &[(&str, &str)] = &[
    ("tablet", "tablet"),
    ("tablets", "tablet"),
    ("tab", "tablet"),
    ("tabs", "tablet"),
    ("capsule", "capsule"),
    ("capsules", "capsule"),
    ("cap", "capsule"),
    ("caps", "capsule"),
    ("puff", "puff"),
    ("puffs", "puff"),
    ("inhalation", "puff"),
    ("inhalations", "puff"),
    ("actuation", "puff"),
    ("actuations", "puff"),
    ("drop", "drop"),
    ("drops", "drop"),
    ("gtt", "drop"),
    ("gtts", "drop"),
    ("spray", "spray"),
    ("sprays", "spray"),
    ("patch", "patch"),
    ("patches", "patch"),
    ("ml", "mL"),
    ("unit", "unit"),
    ("units", "unit"),
    ("u", "unit"),
    ("iu", "unit"),
    ("vial", "vial"),
    ("ampule", "vial"),
    ("sachet", "sachet"),
    ("packet", "sachet"),
    ("scoop", "scoop"),
    ("application", "application"),
    ("suppository", "suppository"),
    ("lozenge", "lozenge"),
];

/// Words that start the details rather than continue the name.
fn is_detail_word(word: &str) -> bool {
    number(word).is_some()
        || SALTS.contains(&word)
        || Release::from_word(word).is_some()
        || FORMS.iter().any(|(w, _)| *w == word)
        || ROUTES.iter().any(|(w, _)| *w == word)
        || frequency_word(word).is_some()
        || matches!(word, "prn" | "as" | "every" | "once" | "twice" | "at" | "daily" | "take" | "by" | "with")
        || word.starts_with('q') && hours(word).is_some()
}

/// "500", "0.5", "1/2" (a fraction), "½".
fn number(word: &str) -> Option<f64> {
    if let Some((a, b)) = word.split_once('/') {
        let (a, b) = (crate::model::parse_number(a)?, crate::model::parse_number(b)?);
        return (b != 0.0 && a < b).then(|| a / b);
    }
    if !word.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    crate::model::parse_number(word)
}

/// "20-12.5", "20/12.5" and "5/325": several values, one per ingredient of a combination.
fn values(word: &str) -> Option<Vec<f64>> {
    let parts: Vec<&str> = word.split(['-', '/']).collect();
    if parts.len() < 2 {
        return number(word).map(|n| vec![n]);
    }
    parts
        .iter()
        .map(|p| crate::model::parse_number(p).filter(|_| p.starts_with(|c: char| c.is_ascii_digit())))
        .collect()
}

/// The hours of "q4h", "q12h", "q4-6h" (the shortest interval: the most often it may be taken).
fn hours(word: &str) -> Option<u32> {
    let inner = word.strip_prefix('q')?.strip_suffix('h').or_else(|| word.strip_prefix('q')?.strip_suffix("hr"))?;
    let first = inner.split('-').next()?;
    first.parse::<u32>().ok().filter(|h| (1..=72).contains(h))
}

/// Single-word frequencies.
fn frequency_word(word: &str) -> Option<Schedule> {
    let with = |times, when| Some(Schedule { when, ..Schedule::daily(times) });
    match word {
        "qd" | "od" | "daily" | "qday" | "once-daily" | "nightly" => {
            with(1, if word == "nightly" { Some(msg!("at bedtime")) } else { None })
        }
        "bid" | "twice-daily" => with(2, None),
        "tid" => with(3, None),
        "qid" => with(4, None),
        "qam" | "qmorning" => with(1, Some(msg!("in the morning"))),
        "qpm" | "qevening" => with(1, Some(msg!("in the evening"))),
        "qhs" | "hs" => with(1, Some(msg!("at bedtime"))),
        "qod" => Some(Schedule { times: 1, every: 2, unit: PeriodUnit::Day, when: None }),
        "weekly" | "qweek" | "qwk" => Some(Schedule { times: 1, every: 1, unit: PeriodUnit::Week, when: None }),
        "monthly" => Some(Schedule { times: 1, every: 1, unit: PeriodUnit::Month, when: None }),
        _ => None,
    }
}

/// Tidies the text into words: lower case, numbers apart from their units ("500mg" → "500 mg"),
/// no dots inside abbreviations ("b.i.d." → "bid").
fn words(text: &str) -> Vec<String> {
    // ASCII case folding: every word the reader knows is ASCII, and Unicode's case tables would
    // cost the viewer's download more than this whole reader.
    let text = text.to_ascii_lowercase().replace('½', " 1/2").replace('¼', " 1/4");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        match c {
            // A decimal point stays; an abbreviation's dots go.
            '.' if prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()) => out.push(c),
            '.' if next.is_none_or(|n| !n.is_ascii_digit()) => {}
            '.' => out.push(c),
            // "1,000 IU": a thousands separator goes; any other comma separates.
            ',' if prev.is_some_and(|p| p.is_ascii_digit())
                && chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count() == 3 => {}
            ',' | '(' | ')' | ';' | ':' => out.push(' '),
            // "500mg" → "500 mg", but "q4h", "2x" and "24hr" stay whole.
            c if c.is_ascii_alphabetic() && prev.is_some_and(|p| p.is_ascii_digit()) => {
                let word_start = out.rfind(' ').map_or(0, |s| s + 1);
                let word = &out[word_start..];
                let glued = word.starts_with('q') || matches!(c, 'x') && next.is_none_or(|n| !n.is_ascii_alphabetic());
                let rest: String = chars[i..].iter().take_while(|c| c.is_ascii_alphanumeric()).collect();
                if !(glued || rest == "hr" || rest == "h" && word.starts_with('q')) {
                    out.push(' ');
                }
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.split_whitespace().map(str::to_owned).collect()
}

/// Leading words that say how to take it rather than what: "Take 1 tab Metformin…" keeps "take".
const LEADING: &[&str] = &["take", "tab", "tablet", "cap", "capsule", "inj", "injection"];

/// Where names are looked up: the drug table, or nothing (the clinician's viewer reads the
/// rest of a line without the table, which stays out of its download).
trait Names {
    fn resolve(&self, words: &[String]) -> Option<(usize, Product)>;
    fn near_miss(&self, normalised: &str) -> Option<(String, Product)>;
}

impl Names for DrugTable {
    fn resolve(&self, words: &[String]) -> Option<(usize, Product)> {
        DrugTable::resolve(self, words)
    }

    fn near_miss(&self, normalised: &str) -> Option<(String, Product)> {
        DrugTable::near_miss(self, normalised).map(|(name, product)| (name.to_owned(), product.clone()))
    }
}

struct WithoutTable;

impl Names for WithoutTable {
    fn resolve(&self, _: &[String]) -> Option<(usize, Product)> {
        None
    }

    fn near_miss(&self, _: &str) -> Option<(String, Product)> {
        None
    }
}

impl MedLine {
    /// Reads a line, matching its drug against the table.
    pub fn parse(text: &str) -> Self {
        Self::parse_with(text, DrugTable::get())
    }

    /// Reads a line's strength, dose, route, schedule and release form without the drug table:
    /// the name is the words before the first detail, and `ingredients` stays empty. What the
    /// viewer shows a clinician typing orders ("understood as …"); matching is the patient's side.
    pub fn parse_details(text: &str) -> Self {
        Self::parse_with(text, &WithoutTable)
    }

    fn parse_with(text: &str, table: &impl Names) -> Self {
        let words = words(text);
        let mut line = MedLine {
            text: text.trim().to_owned(),
            name: String::new(),
            ingredients: Vec::new(),
            read_as: None,
            salt: None,
            release: None,
            strength: None,
            dose: None,
            route: None,
            form: None,
            schedule: None,
            as_needed: false,
            unread: Vec::new(),
        };
        let skip =
            words.iter().take_while(|w| LEADING.contains(&w.as_str())).count().min(words.len().saturating_sub(1));
        let rest = &words[skip..];
        // The table may know names with words that elsewhere start the details ("Toprol XL",
        // "Tylenol with Codeine"), so it is asked first; an unknown name ends at the first detail.
        let before_number = rest.iter().take_while(|w| number(w).is_none() && values(w).is_none()).count();
        let name_len = rest.iter().take_while(|w| !is_detail_word(w)).count().max(1).min(rest.len());
        let (name_words, product, used) = match table.resolve(&rest[..before_number.max(1).min(rest.len())]) {
            Some((used, product)) => (&rest[..used], Some(product), used),
            None => (&rest[..name_len], None, name_len),
        };
        line.name = as_written(text, &name_words.join(" "));
        match product {
            Some(product) => line.take_product(&product),
            None => {
                if let Some((read_as, product)) = table.near_miss(&normalise(&line.name)) {
                    line.read_as = Some(read_as);
                    line.take_product(&product);
                }
            }
        }
        line.read_details(&rest[used..]);
        line
    }

    fn take_product(&mut self, product: &Product) {
        self.ingredients = product.ingredients.clone();
        self.salt = product.salt.map(str::to_owned);
        self.release = product.release;
    }

    fn read_details(&mut self, words: &[String]) {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut i = 0;
        while i < words.len() {
            match self.read_phrase(&words[i..]) {
                0 => {
                    self.unread.push(words[i].to_owned());
                    i += 1;
                }
                used => i += used,
            }
        }
        // An inhaler is inhaled, a patch goes on the skin: what the form implies.
        if self.route.is_none() {
            self.route = match self.form {
                Some("inhaler" | "nebulizer solution") => Some(msg!("inhaled")),
                Some("patch") => Some(msg!("through the skin")),
                _ => None,
            };
        }
    }

    /// Reads the phrase that starts `w`; returns how many words it took (0: not understood).
    fn read_phrase(&mut self, w: &[&str]) -> usize {
        let at = |i: usize| w.get(i).copied().unwrap_or("");
        let (word, next) = (at(0), at(1));
        if let Some(salt) = SALTS.iter().find(|s| **s == word) {
            self.salt = Some(if *salt == "hcl" { "hydrochloride" } else { salt }.to_owned());
            return 1;
        }
        if let Some(release) = Release::from_word(word) {
            self.release = Some(release);
            return if matches!(next, "release" | "hr") { 2 } else { 1 };
        }
        if matches!(word, "24" | "12") && matches!(next, "hr" | "hour") {
            self.release = Some(Release::Extended);
            return 2;
        }
        if let Some((_, form)) = FORMS.iter().find(|(f, _)| *f == word) {
            self.form = Some(form);
            return 1;
        }
        if let Some((_, route)) = ROUTES.iter().find(|(r, _)| *r == word) {
            self.route = Some(route);
            return 1;
        }
        match (word, next, at(2)) {
            ("by", "mouth", _) => {
                self.route = Some(msg!("by mouth"));
                return 2;
            }
            ("under", "the", "tongue") => {
                self.route = Some(msg!("under the tongue"));
                return 3;
            }
            ("via" | "with" | "per", n, _)
                if FORMS.iter().any(|(f, _)| *f == n) || ROUTES.iter().any(|(r, _)| *r == n) =>
            {
                return 1;
            }
            ("as" | "if" | "when", "needed" | "required", _) => {
                self.as_needed = true;
                return 2;
            }
            ("as", "directed", _) => return 2,
            ("prn", ..) => {
                self.as_needed = true;
                return 1;
            }
            ("take" | "and" | "then" | "of", ..) => return 1,
            _ => {}
        }
        if let Some((schedule, used)) = schedule_at(w) {
            match (&mut self.schedule, schedule.when) {
                // "daily at bedtime": the time of day joins the frequency already read.
                (Some(existing), Some(when)) if schedule.per_day() == existing.per_day() => existing.when = Some(when),
                _ => self.schedule = Some(schedule),
            }
            return used;
        }
        // A number, and the unit that says whether it is a strength or an amount per intake.
        let Some(values) = values(word) else { return 0 };
        if let Some((_, unit, factor)) = STRENGTH_UNITS.iter().find(|(u, ..)| *u == next)
            && self.strength.is_none()
        {
            let normalised = values.iter().map(|v| v * factor).collect();
            self.strength = Some(Strength { values: normalised, unit: (*unit).to_owned(), written: values });
            return 2;
        }
        if let Some((_, unit)) = DOSE_UNITS.iter().find(|(u, _)| *u == next)
            && self.dose.is_none()
        {
            let (low, high) = match word.split_once('-') {
                Some((a, b)) => (number(a).unwrap_or(0.0), number(b).unwrap_or(0.0)),
                None => (values[0], values[0]),
            };
            self.dose = Some(Dose { low, high, unit: (*unit).to_owned() });
            if self.form.is_none() {
                self.form = FORMS.iter().find(|(f, _)| *f == next).map(|(_, f)| *f);
            }
            return 2;
        }
        // "Norco 5/325": a combination's strengths, written without a unit.
        if values.len() > 1 && self.strength.is_none() && self.ingredients.len() == values.len() {
            self.strength = Some(Strength { values: values.clone(), unit: String::new(), written: values });
            return 1;
        }
        0
    }

    /// The medication in the binder's model: what the line said, structured where it could be read.
    pub fn to_medication(&self) -> crate::model::Medication {
        let frequency = match (&self.schedule, self.as_needed) {
            (Some(s), true) => Frequency::AsNeeded { max_per_day: Some(s.per_day().floor() as u32).filter(|n| *n > 0) },
            (None, true) => Frequency::AsNeeded { max_per_day: None },
            (Some(s), false) => Frequency::Scheduled { times: s.times, every: s.every, unit: s.unit },
            (None, false) => Frequency::default(),
        };
        crate::model::Medication {
            name: self.name_text(),
            strength: self.strength.as_ref().map(Strength::text).unwrap_or_default(),
            dose: self.dose.as_ref().map(|d| Quantity { value: d.high, unit: d.unit.clone() }),
            frequency,
            form: self.form.unwrap_or_default().to_owned(),
            route: self.route.unwrap_or_default().to_owned(),
            ..crate::model::Medication::default()
        }
    }

    /// The name with its salt and release form, as a label would print it.
    pub fn name_text(&self) -> String {
        let mut name = self.name.clone();
        if let Some(first) = name.get(..1) {
            name = first.to_ascii_uppercase() + &name[1..];
        }
        name
    }

    /// Intakes a day, when the line says.
    pub fn per_day(&self) -> Option<f64> {
        self.schedule.as_ref().map(Schedule::per_day)
    }
}

/// `name` (lower case) with the capitals the line gave it, where it can be found there.
fn as_written(text: &str, name: &str) -> String {
    let lower = text.to_ascii_lowercase();
    match lower.find(name) {
        Some(at) if lower.len() == text.len() => text[at..at + name.len()].to_owned(),
        _ => name.to_owned(),
    }
}

/// A frequency phrase at the start of `w`: "once daily", "2 times a day", "3x daily", "every 8
/// hours", "at bedtime", "q8h", "every other day", "once a week"; with how many words it took.
fn schedule_at(w: &[&str]) -> Option<(Schedule, usize)> {
    let at = |i: usize| w.get(i).copied().unwrap_or("");
    let scheduled = |times, every, unit| Schedule { times, every, unit, when: None };
    if let Some(schedule) = frequency_word(at(0)) {
        return Some((schedule, 1));
    }
    if let Some(h) = hours(at(0)) {
        return Some((scheduled(1, h, PeriodUnit::Hour), 1));
    }
    let period = |w: &str| match w {
        "day" | "days" | "daily" | "/day" | "x/day" => Some(PeriodUnit::Day),
        "hour" | "hours" | "hrs" | "hr" | "h" => Some(PeriodUnit::Hour),
        "week" | "weeks" | "weekly" | "wk" => Some(PeriodUnit::Week),
        "month" | "months" | "monthly" => Some(PeriodUnit::Month),
        _ => None,
    };
    let time_of_day = |a: &str, b: &str| match (a, b) {
        ("at", "bedtime" | "night") | ("before", "bed") => Some(msg!("at bedtime")),
        ("every" | "each" | "in", "morning") => Some(msg!("in the morning")),
        ("every" | "each" | "in", "evening") => Some(msg!("in the evening")),
        _ => None,
    };
    if let Some(when) = time_of_day(at(0), at(1)) {
        return Some((Schedule { when: Some(when), ..Schedule::daily(1) }, 2));
    }
    if at(0) == "in"
        && at(1) == "the"
        && let Some(when) = time_of_day("in", at(2))
    {
        return Some((Schedule { when: Some(when), ..Schedule::daily(1) }, 3));
    }
    let count = match at(0).trim_end_matches('x') {
        "once" | "1" | "one" => Some(1),
        "twice" | "2" | "two" => Some(2),
        "3" | "three" | "thrice" => Some(3),
        "4" | "four" => Some(4),
        "5" | "five" => Some(5),
        "6" | "six" => Some(6),
        _ => None,
    };
    if let Some(times) = count {
        // The count's own word, then "times"/"x" if written, then "a"/"per"/"each", then the period.
        let mut i = 1;
        if matches!(at(i), "times" | "time" | "x") || at(0).ends_with('x') && at(0).len() > 1 {
            i += usize::from(matches!(at(i), "times" | "time" | "x"));
        } else if !matches!(at(0), "once" | "twice" | "thrice") {
            // A bare number ("2 daily") is more likely an amount: leave it to the dose reader.
            return None;
        }
        i += usize::from(matches!(at(i), "a" | "per" | "each" | "every"));
        let unit = period(at(i))?;
        return Some((scheduled(times, 1, unit), i + 1));
    }
    if at(0) == "every" || at(0) == "each" {
        if at(1) == "other" && period(at(2)) == Some(PeriodUnit::Day) {
            return Some((scheduled(1, 2, PeriodUnit::Day), 3));
        }
        if let Some(unit) = period(at(1)) {
            return Some((scheduled(1, 1, unit), 2));
        }
        let n = at(1).split('-').next().and_then(|n| n.parse::<u32>().ok()).filter(|n| *n > 0);
        if let (Some(n), Some(unit)) = (n, period(at(2))) {
            return Some((scheduled(1, n, unit), 3));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_read_without_the_table() {
        let read = MedLine::parse_details("Metformin 1000 mg 1 tab PO BID");
        assert_eq!(read.name, "Metformin");
        assert!(read.ingredients.is_empty(), "no table, no match");
        assert_eq!(read.strength.as_ref().map(Strength::text).as_deref(), Some("1000 mg"));
        assert_eq!(read.dose.as_ref().map(Dose::text).as_deref(), Some("1 tablet"));
        assert_eq!(
            (read.route, read.schedule.as_ref().map(Schedule::text)),
            (Some("by mouth"), Some("twice a day".into()))
        );
        let inhaler = MedLine::parse_details("Albuterol inhaler 2 puffs q4h PRN");
        assert_eq!((inhaler.name.as_str(), inhaler.as_needed), ("Albuterol", true));
        assert_eq!(inhaler.route, Some("inhaled"));
        // With the table, the same line is matched to its ingredient.
        assert_eq!(MedLine::parse("Metformin 1000 mg 1 tab PO BID").ingredients, ["metformin"]);
    }

    #[test]
    fn words_split_numbers_from_units_and_drop_abbreviation_dots() {
        assert_eq!(words("Metformin 500mg P.O. b.i.d."), ["metformin", "500", "mg", "po", "bid"]);
        assert_eq!(words("Albuterol 2 puffs q4h PRN"), ["albuterol", "2", "puffs", "q4h", "prn"]);
        assert_eq!(words("Vitamin D 1,000 IU"), ["vitamin", "d", "1000", "iu"]);
        assert_eq!(words("Take 0.5 tab 2x daily"), ["take", "0.5", "tab", "2x", "daily"]);
    }
}
