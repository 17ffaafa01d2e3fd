//! New orders as a clinician writes them in a reply: either the whole list from now on (a
//! discharge list; the viewer starts the box with the shared list, so a line deleted there is a
//! drug to stop), or changes only (when the patient did not share their medications), in which a
//! drug the orders do not mention stays as it is. Either way a line may say so outright: "Stop
//! simvastatin", "Discontinue aspirin", "D/C warfarin".

use super::table::normalise;
use super::{LineResult, MedLine, Said, Side, Status, reconcile, start};
use crate::model::{Frequency, Medication, PeriodUnit, format_number};
use crate::msg;

/// First words that make a line a stop order.
const STOP_WORDS: &[&str] = &["stop", "discontinue", "dc", "d/c", "cease"];

/// The medication a stop order names ("Stop simvastatin 20 mg" → "simvastatin 20 mg"); `None`
/// for any other line.
pub fn stop_order(line: &str) -> Option<&str> {
    let (first, rest) = line.trim().split_once(char::is_whitespace)?;
    let first = first.trim_end_matches([':', '.']).to_ascii_lowercase();
    STOP_WORDS.contains(&first.as_str()).then(|| rest.trim()).filter(|rest| !rest.is_empty())
}

/// Reconciles `current` against a reply's `orders`: the whole list from now on when `complete`,
/// else changes only. One result per line, as [`reconcile`] gives them (the current list, then the
/// orders), with every stop order folded into the line it stops — or, naming nothing on the
/// current list, added as `unclear`.
pub fn reconcile_orders(current: &[&str], orders: &[&str], complete: bool, allergies: &[&str]) -> Vec<LineResult> {
    let (stops, others): (Vec<&str>, Vec<&str>) = orders.iter().partition(|line| stop_order(line).is_some());
    let mut results = reconcile(current, &others, allergies);
    let mut stopped = vec![false; results.len()];
    for line in stops {
        let named = MedLine::parse(stop_order(line).unwrap_or(line));
        let targets: Vec<usize> = (0..results.len())
            .filter(|&i| results[i].side == Side::Current && same_drug(&named, &results[i].read))
            .collect();
        if targets.is_empty() {
            let mut result = start(Side::New, named);
            result.line = line.trim().to_owned();
            result.status = Status::Unclear;
            result.notes = vec![Said::new(msg!("A stop order for a medication that is not on the current list."))];
            results.push(result);
            continue;
        }
        for target in targets {
            match results[target].counterpart {
                // Ordered and stopped in one reply: a person must ask which.
                Some(other) => {
                    for i in [target, other] {
                        results[i].status = Status::Unclear;
                        results[i].notes.push(
                            Said::new(msg!("Both ordered and stopped (“{order}”): ask which.")).typed("order", line),
                        );
                    }
                }
                None => {
                    results[target].status = Status::Stop;
                    results[target].notes.push(Said::new(msg!("Stop order: “{order}”.")).typed("order", line.trim()));
                    stopped[target] = true;
                }
            }
        }
    }
    if !complete {
        for (result, stopped) in results.iter_mut().zip(stopped) {
            if result.side == Side::Current && result.status == Status::Stop && !stopped {
                result.status = Status::Continue;
                result.notes.push(Said::new(msg!("Not mentioned in the new orders: no change.")));
            }
        }
    }
    results
}

/// The same drug: a shared ingredient, or (for drugs the table does not know) the same name.
fn same_drug(a: &MedLine, b: &MedLine) -> bool {
    if !a.ingredients.is_empty() && !b.ingredients.is_empty() {
        a.ingredients.iter().any(|i| b.ingredients.contains(i))
    } else {
        !a.name.is_empty() && normalise(&a.name) == normalise(&b.name)
    }
}

/// A binder medication written as one line the line reader reads back: name, strength, amount,
/// and how often in the abbreviations prescribers use ("Metformin 500 mg 1 tablet BID").
pub fn current_line(med: &Medication) -> String {
    let mut parts = vec![med.name.clone()];
    parts.extend([med.strength.clone(), med.dose_text()].into_iter().filter(|p| !p.is_empty()));
    let per_day = |times: u32| match times {
        1 => "daily".to_owned(),
        2 => "BID".to_owned(),
        3 => "TID".to_owned(),
        4 => "QID".to_owned(),
        n => format!("{n} times a day"),
    };
    parts.push(match &med.frequency {
        Frequency::Scheduled { times, every: 1, unit: PeriodUnit::Day } => per_day(*times),
        Frequency::Scheduled { times: 1, every: 2, unit: PeriodUnit::Day } => "every other day".to_owned(),
        Frequency::Scheduled { times: 1, every, unit: PeriodUnit::Hour } => format!("q{every}h"),
        Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Week } => "weekly".to_owned(),
        Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Month } => "monthly".to_owned(),
        Frequency::Scheduled { times: 1, every, unit } => format!("every {every} {}", unit.label(*every)),
        Frequency::Scheduled { times, every: 1, unit } => format!("{times} times a {}", unit.label(1)),
        Frequency::Scheduled { times, every, unit } => {
            // n every m hours/days/weeks: as intakes a day where that reads, else as written.
            let per = format_number(f64::from(*times) / f64::from(*every));
            format!("{per} times a {}", unit.label(1))
        }
        Frequency::AtTimes { times } => per_day(times.len() as u32),
        Frequency::AsNeeded { max_per_day: Some(n) } if 24 % n == 0 => format!("q{}h PRN", 24 / n),
        Frequency::AsNeeded { max_per_day: Some(n) } => format!("{} PRN", per_day(*n)),
        Frequency::AsNeeded { max_per_day: None } => "PRN".to_owned(),
    });
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Quantity, TimeOfDay};

    #[test]
    fn stop_orders_are_recognised_by_their_first_word() {
        assert_eq!(stop_order("Stop simvastatin 20 mg"), Some("simvastatin 20 mg"));
        assert_eq!(stop_order("D/C: warfarin"), Some("warfarin"));
        assert_eq!(stop_order("discontinue Aspirin"), Some("Aspirin"));
        assert_eq!(stop_order("Stopwatch 1 daily"), None);
        assert_eq!(stop_order("Stop"), None);
        assert_eq!(stop_order("Metformin 500 mg BID"), None);
    }

    #[test]
    fn binder_medications_read_back_as_the_same_line() {
        let med = |strength: &str, amount: Option<(f64, &str)>, frequency| Medication {
            name: "Metformin".into(),
            strength: strength.into(),
            dose: amount.map(|(value, unit)| Quantity { value, unit: unit.into() }),
            frequency,
            ..Medication::default()
        };
        let scheduled = |times, every, unit| Frequency::Scheduled { times, every, unit };
        let cases = [
            (med("500 mg", Some((1.0, "tablet")), scheduled(2, 1, PeriodUnit::Day)), "Metformin 500 mg 1 tablet BID"),
            (med("500 mg", None, scheduled(1, 8, PeriodUnit::Hour)), "Metformin 500 mg q8h"),
            (med("", None, scheduled(1, 1, PeriodUnit::Week)), "Metformin weekly"),
            (med("500 mg", None, Frequency::AsNeeded { max_per_day: Some(4) }), "Metformin 500 mg q6h PRN"),
            (
                med("500 mg", None, Frequency::AtTimes { times: vec![TimeOfDay::new(8, 0).unwrap(); 3] }),
                "Metformin 500 mg TID",
            ),
        ];
        for (med, line) in cases {
            assert_eq!(current_line(&med), line);
            // And the reader understands every word of it.
            let read = MedLine::parse(line);
            assert!(read.unread.is_empty(), "{line}: {:?}", read.unread);
            assert_eq!(read.ingredients, ["metformin"]);
        }
    }
}
