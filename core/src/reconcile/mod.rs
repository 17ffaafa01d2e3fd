//! Medication reconciliation: the list a patient takes against a list of new orders (from a
//! clinician's reply, an imported discharge bundle, or typed at discharge), line by line.
//!
//! Every line of both lists gets one status:
//! - **continue**: the same drug, strength, dose, route, release form, salt and schedule;
//! - **changed**: the same drug with something different, and what (a different salt or release
//!   form of one ingredient — tartrate vs succinate, IR vs ER — is a change, never a continue);
//! - **stop**: on the current list and absent from the new orders (the new orders are the whole
//!   list the patient should take from now on);
//! - **new**: in the new orders only;
//! - **unclear**: no confident reading (a drug the table does not know, a line without a drug):
//!   never silently continue; a person compares it.
//!
//! and flags: **duplicate** (the same ingredient twice on one list, a brand and its generic, or an
//! ingredient inside a combination), **allergy** (matches a recorded allergy, by ingredient or by
//! class, e.g. amoxicillin for a penicillin allergy), **misspelled** (read as the table's nearest
//! name, one typing slip away).
//!
//! Matching, in order of confidence: the table's names (generic, other names, brands,
//! combinations) after normalising case, spacing and salts → same ingredient set → a combination
//! containing the other → unclear. Strengths are compared in mg (mcg, g) or units (IU), schedules
//! as intakes a day (BID = q12h = twice a day).

mod line;
mod orders;
mod table;

use serde::Serialize;

use crate::msg;

pub use crate::said::{Said, Word};
pub use line::{Dose, MedLine, Release, Schedule, Strength};
pub use orders::{current_line, reconcile_orders, stop_order};
pub use table::{DrugTable, Product, normalise};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Current,
    New,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Continue,
    Changed,
    Stop,
    New,
    Unclear,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Continue => msg!("Continue"),
            Self::Changed => msg!("Changed"),
            Self::Stop => msg!("Stop"),
            Self::New => msg!("New"),
            Self::Unclear => msg!("Unclear: check by hand"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Duplicate,
    Allergy,
    Misspelled,
}

/// The verdict on one input line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineResult {
    /// As given.
    pub line: String,
    pub side: Side,
    /// The generic names it was matched to; empty when unmatched.
    pub ingredients: Vec<&'static str>,
    pub status: Status,
    pub flags: Vec<Flag>,
    /// What differs from its counterpart on the other list ("strength 500 mg → 1000 mg").
    pub changes: Vec<Said>,
    /// Why a flag or an unclear status was given, in words.
    pub notes: Vec<Said>,
    /// Index (into the whole result) of the line on the other list it was paired with.
    #[serde(skip)]
    pub counterpart: Option<usize>,
    #[serde(skip)]
    pub read: MedLine,
}

/// Reconciles `current` against `new` orders, with the recorded `allergies` (one substance or
/// class per line). The result has one entry per non-empty input line: the current list first,
/// then the new orders, each in input order.
pub fn reconcile(current: &[&str], new: &[&str], allergies: &[&str]) -> Vec<LineResult> {
    let table = DrugTable::get();
    let mut results: Vec<LineResult> = current
        .iter()
        .map(|l| (Side::Current, l))
        .chain(new.iter().map(|l| (Side::New, l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(side, l)| start(side, MedLine::parse(l)))
        .collect();
    pair(&mut results);
    for result in results.iter_mut().filter(|r| r.status != Status::Unclear && r.counterpart.is_none()) {
        result.status = match result.side {
            Side::Current => Status::Stop,
            Side::New => Status::New,
        };
    }
    flag_duplicates(&mut results);
    flag_allergies(table, &mut results, allergies);
    results
}

fn start(side: Side, read: MedLine) -> LineResult {
    let mut result = LineResult {
        line: read.text.clone(),
        side,
        ingredients: read.ingredients.clone(),
        status: Status::Unclear,
        flags: Vec::new(),
        changes: Vec::new(),
        notes: Vec::new(),
        counterpart: None,
        read,
    };
    if result.ingredients.is_empty() {
        result.notes.push(if result.read.name.is_empty() {
            Said::new(msg!("No medication name could be read."))
        } else {
            Said::new(msg!("“{name}” is not in the drug table: compare it by hand.")).typed("name", &result.read.name)
        });
    } else {
        // Placeholder until paired: decided below.
        result.status = Status::Continue;
        if let Some(read_as) = &result.read.read_as {
            result.flags.push(Flag::Misspelled);
            result.notes.push(
                Said::new(msg!("Read “{name}” as {read_as}."))
                    .typed("name", &result.read.name)
                    .typed("read_as", read_as),
            );
        }
    }
    result
}

/// Pairs each new order with a current line of the same ingredients (the closest one first),
/// then with one whose ingredients it contains or is contained in (a switch to or from a
/// combination product).
fn pair(results: &mut [LineResult]) {
    let sides = |results: &[LineResult], side| -> Vec<usize> {
        (0..results.len()).filter(|i| results[*i].side == side && results[*i].status != Status::Unclear).collect()
    };
    let (news, currents) = (sides(results, Side::New), sides(results, Side::Current));
    let free = |results: &[LineResult], i: usize| results[i].counterpart.is_none();
    // Exact ingredient sets, unchanged lines first so that two metformin lines pair sensibly.
    for pass in 0..3 {
        for &n in &news {
            for &c in &currents {
                if !free(results, n) || !free(results, c) {
                    continue;
                }
                let (a, b) = (&results[c].ingredients, &results[n].ingredients);
                let fits = match pass {
                    0 => a == b && compare(&results[c].read, &results[n].read).is_empty(),
                    1 => a == b,
                    _ => a.iter().all(|i| b.contains(i)) || b.iter().all(|i| a.contains(i)),
                };
                if fits {
                    link(results, c, n);
                }
            }
        }
    }
}

fn link(results: &mut [LineResult], current: usize, new: usize) {
    let mut changes = Vec::new();
    let (was, now) = (&results[current].ingredients, &results[new].ingredients);
    if was != now {
        changes.push(
            Said::new(msg!("ingredients {was} → {now}")).typed("was", was.join(" + ")).typed("now", now.join(" + ")),
        );
    }
    changes.extend(compare(&results[current].read, &results[new].read));
    let status = if changes.is_empty() { Status::Continue } else { Status::Changed };
    for (i, other) in [(current, new), (new, current)] {
        results[i].counterpart = Some(other);
        results[i].status = status;
        results[i].changes = changes.clone();
    }
}

/// What differs between two readings of the same drug, in words. Something only one side says
/// (a salt the patient did not write) is not a difference; a release form is (a plain name means
/// immediate release), and so is a dose only one side gives.
fn compare(was: &MedLine, now: &MedLine) -> Vec<Said> {
    let mut changes = Vec::new();
    fn differs(changes: &mut Vec<Said>, template: &'static str, a: Word, b: Word) {
        if a != b {
            changes.push(Said::with(template, vec![("was", a), ("now", b)]));
        }
    }
    if let (Some(a), Some(b)) = (&was.salt, &now.salt) {
        differs(&mut changes, msg!("salt {was} → {now}"), Word::Typed(a.clone()), Word::Typed(b.clone()));
    }
    let release = |l: &MedLine| Word::Fixed(l.release.unwrap_or(Release::Immediate).label());
    differs(&mut changes, msg!("release {was} → {now}"), release(was), release(now));
    let not_given = || Word::Fixed(msg!("not given"));
    let strength = |l: &MedLine| l.strength.as_ref().map_or_else(not_given, |s| Word::Typed(s.text()));
    let same_strength = match (&was.strength, &now.strength) {
        (Some(a), Some(b)) => a.same_as(b),
        (None, None) => true,
        _ => false,
    };
    if !same_strength {
        changes.push(Said::with(msg!("strength {was} → {now}"), vec![("was", strength(was)), ("now", strength(now))]));
    }
    // A line with a strength and no amount means one of it ("1" and "1 tablet" say the same).
    let dose = |l: &MedLine| match (&l.dose, &l.strength) {
        (Some(d), _) => Some((d.low, d.high, d.unit.clone(), d.said())),
        (None, Some(_)) => Some((1.0, 1.0, String::new(), Said::new("{n}").typed("n", "1"))),
        (None, None) => None,
    };
    let same_dose = match (dose(was), dose(now)) {
        (Some(a), Some(b)) => a.0 == b.0 && a.1 == b.1 && (a.2 == b.2 || a.2.is_empty() || b.2.is_empty()),
        (None, None) => true,
        _ => false,
    };
    if !same_dose {
        let text = |d: Option<(f64, f64, String, Said)>| d.map_or_else(not_given, |d| Word::Part(Box::new(d.3)));
        changes.push(Said::with(msg!("dose {was} → {now}"), vec![("was", text(dose(was))), ("now", text(dose(now)))]));
    }
    if let (Some(a), Some(b)) = (was.route, now.route) {
        differs(&mut changes, msg!("route {was} → {now}"), Word::Fixed(a), Word::Fixed(b));
    }
    let how_often = |l: &MedLine| match (&l.schedule, l.as_needed) {
        (Some(s), true) => Said::new(msg!("as needed, up to {how_often}")).part("how_often", s.said()),
        (None, true) => Said::new(msg!("as needed")),
        (Some(s), false) => s.said(),
        (None, false) => Said::new(msg!("not given")),
    };
    let same_rate = match (&was.schedule, &now.schedule) {
        (Some(a), Some(b)) => (a.per_day() - b.per_day()).abs() < 1e-9 && a.when == b.when,
        (None, None) => true,
        _ => false,
    };
    if !same_rate || was.as_needed != now.as_needed {
        changes.push(Said::with(
            msg!("how often {was} → {now}"),
            vec![("was", Word::Part(Box::new(how_often(was)))), ("now", Word::Part(Box::new(how_often(now))))],
        ));
    }
    changes
}

/// Flags on one list of medication names (the binder's own list, for the SBAR): which lines share
/// an ingredient with another, and which match a recorded allergy by ingredient or named class.
/// Reads names with the table alone — no line parser — so that code building every shared
/// document stays small.
pub fn list_flags(names: &[&str], allergies: &[&str]) -> Vec<(usize, Flag)> {
    let table = DrugTable::get();
    let ingredients: Vec<Vec<&'static str>> = names.iter().map(|n| table.ingredients_of(n)).collect();
    let mut flags = Vec::new();
    for (i, mine) in ingredients.iter().enumerate() {
        if ingredients.iter().enumerate().any(|(j, other)| i != j && mine.iter().any(|x| other.contains(x))) {
            flags.push((i, Flag::Duplicate));
        }
        let allergic = allergies.iter().any(|allergy| {
            let named = table.class_named(&normalise(allergy));
            let theirs = table.ingredients_of(allergy);
            mine.iter().any(|x| theirs.contains(x) || named.is_some_and(|c| table.classes(x).contains(&c)))
        });
        if allergic {
            flags.push((i, Flag::Allergy));
        }
    }
    flags
}

/// The same ingredient twice on one list: a brand and its generic, two brands, or an ingredient
/// inside a combination. Both lines are flagged, each naming the other.
fn flag_duplicates(results: &mut [LineResult]) {
    for i in 0..results.len() {
        for j in (i + 1)..results.len() {
            let (a, b) = (&results[i], &results[j]);
            if a.side != b.side {
                continue;
            }
            let shared: Vec<&'static str> =
                a.ingredients.iter().filter(|x| b.ingredients.contains(x)).copied().collect();
            if shared.is_empty() {
                continue;
            }
            let (line_a, line_b) = (a.line.clone(), b.line.clone());
            for (k, other) in [(i, line_b), (j, line_a)] {
                if !results[k].flags.contains(&Flag::Duplicate) {
                    results[k].flags.push(Flag::Duplicate);
                }
                results[k].notes.push(
                    Said::new(msg!("{ingredients} also in “{line}”."))
                        .typed("ingredients", shared.join(" + "))
                        .typed("line", other),
                );
            }
        }
    }
}

/// A line matching a recorded allergy: the same ingredient, an ingredient of the allergy's class
/// ("penicillin" → amoxicillin), or the same cross-reacting class as an allergy to one drug
/// (an amoxicillin allergy → ampicillin).
fn flag_allergies(table: &DrugTable, results: &mut [LineResult], allergies: &[&str]) {
    const CROSS_REACTING: &[&str] = &[
        "penicillins",
        "cephalosporins",
        "sulfonamide antibiotics",
        "fluoroquinolones",
        "macrolides",
        "tetracyclines",
        "nsaids",
        "opioids",
    ];
    for allergy in allergies.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        let name = normalise(allergy);
        let read = MedLine::parse(allergy);
        let classes: Vec<&'static str> = match table.class_named(&name) {
            Some(class) => vec![class],
            None => read
                .ingredients
                .iter()
                .flat_map(|i| table.classes(i).iter().copied())
                .filter(|c| CROSS_REACTING.contains(c))
                .collect(),
        };
        for result in results.iter_mut() {
            let why = result.ingredients.iter().find_map(|i| {
                if read.ingredients.contains(i) {
                    Some(
                        Said::new(msg!("{ingredient} matches the recorded allergy to {allergy}."))
                            .typed("ingredient", *i)
                            .typed("allergy", allergy),
                    )
                } else {
                    table.classes(i).iter().find(|c| classes.contains(c)).map(|c| {
                        Said::new(msg!("{ingredient} is one of the {class}, like the recorded allergy to {allergy}."))
                            .typed("ingredient", *i)
                            .typed("class", *c)
                            .typed("allergy", allergy)
                    })
                }
            });
            if let Some(why) = why {
                if !result.flags.contains(&Flag::Allergy) {
                    result.flags.push(Flag::Allergy);
                }
                result.notes.push(why);
            }
        }
    }
}
