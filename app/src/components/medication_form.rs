//! Adding or editing one medication. The form holds text as typed; `to_medication` turns it into
//! a core `Medication`, whose own validation has the last word. Editing starts from the saved
//! medication, so what this form does not show (codes, dates, status, verification) is kept as it
//! was. Dose times typed here ("08:00, 14:00, 22:00") are read by `core::doses::with_dose_times`.

use health_binder_core::doses::set_times::{FIELD as DOSE_TIMES, MOST_A_DAY};
use health_binder_core::doses::{DoseTimesError, dose_times_text, with_dose_times};
use health_binder_core::i18n::{Plural, plural};
use health_binder_core::model::{
    Frequency, Medication, MedicationKind, PeriodUnit, Quantity, ValidationError, format_number, parse_number,
};
use leptos::prelude::*;

use crate::i18n::{language, number, t, t_text, tf};

/// A slip in the dose times, in the language shown: each variant is its own sentence with its
/// values filled in (two counts in one sentence: a key for each plural form that can occur).
fn dose_times_problem(error: DoseTimesError) -> ValidationError {
    let message = match error {
        DoseTimesError::NotATime(typed) => tf(
            "Dose times: “{typed}” is not a time on the clock. Write them like 08:00, 14:00, 22:00.",
            &[("typed", &typed)],
        ),
        DoseTimesError::Twice(time) => tf("Dose times: {time} is there twice.", &[("time", &time.to_string())]),
        DoseTimesError::TooMany => tf("Dose times: at most {n} times a day.", &[("n", &number(MOST_A_DAY as f64))]),
        DoseTimesError::NotDaily => {
            t("Dose times are for a medicine taken every day: set it to every 1 day, or clear the times.").into()
        }
        DoseTimesError::CountDiffers { given, taken } => {
            let one = |n: u64| plural(language(), n) == Plural::One;
            let values = [("given", number(given as f64)), ("taken", number(f64::from(taken)))];
            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            match (one(given as u64), one(u64::from(taken))) {
                (true, _) => tf(
                    "Dose times: you gave {given} time for a medicine taken {taken} times a day. Give one time for each dose.",
                    &values,
                ),
                (false, true) => tf(
                    "Dose times: you gave {given} times for a medicine taken {taken} time a day. Give one time for each dose.",
                    &values,
                ),
                (false, false) => tf(
                    "Dose times: you gave {given} times for a medicine taken {taken} times a day. Give one time for each dose.",
                    &values,
                ),
            }
        }
    };
    ValidationError { field: DOSE_TIMES, message }
}

#[derive(Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    strength: RwSignal<String>,
    dose_amount: RwSignal<String>,
    dose_unit: RwSignal<String>,
    as_needed: RwSignal<bool>,
    times: RwSignal<String>,
    every: RwSignal<String>,
    unit: RwSignal<String>,
    max_per_day: RwSignal<String>,
    clock: RwSignal<String>,
    kind: RwSignal<String>,
    reason: RwSignal<String>,
}

impl Fields {
    fn from(med: Option<&Medication>) -> Self {
        let text = |s: &str| RwSignal::new(s.to_owned());
        let (as_needed, times, every, unit, max) = match med.map(|m| &m.frequency) {
            Some(Frequency::Scheduled { times, every, unit }) => {
                (false, times.to_string(), every.to_string(), *unit, String::new())
            }
            Some(Frequency::AsNeeded { max_per_day }) => {
                (true, "1".into(), "1".into(), PeriodUnit::Day, max_per_day.map(|m| m.to_string()).unwrap_or_default())
            }
            Some(Frequency::AtTimes { times }) => {
                (false, times.len().to_string(), "1".into(), PeriodUnit::Day, String::new())
            }
            None => (false, "1".into(), "1".into(), PeriodUnit::Day, String::new()),
        };
        Self {
            name: text(med.map_or("", |m| &m.name)),
            strength: text(med.map_or("", |m| &m.strength)),
            dose_amount: RwSignal::new(
                med.and_then(|m| m.dose.as_ref()).map(|d| format_number(d.value)).unwrap_or_default(),
            ),
            dose_unit: text(med.and_then(|m| m.dose.as_ref()).map_or("", |d| &d.unit)),
            as_needed: RwSignal::new(as_needed),
            times: RwSignal::new(times),
            every: RwSignal::new(every),
            unit: RwSignal::new(unit.ucum().to_owned()),
            max_per_day: RwSignal::new(max),
            clock: RwSignal::new(med.map(|m| dose_times_text(&m.frequency)).unwrap_or_default()),
            kind: text(med.map_or(MedicationKind::Prescription, |m| m.kind).code()),
            reason: text(med.map_or("", |m| &m.reason)),
        }
    }

    /// The frequency as the form shows it, to tell whether the patient changed it.
    fn frequency_fields(self) -> (bool, String, String, String, String, String) {
        (
            self.as_needed.get_untracked(),
            self.times.get_untracked(),
            self.every.get_untracked(),
            self.unit.get_untracked(),
            self.max_per_day.get_untracked(),
            self.clock.get_untracked(),
        )
    }

    /// `base` is the saved medication when editing (its other fields are kept), else the default.
    fn to_medication(self, base: Medication, untouched_frequency: bool) -> Result<Medication, Vec<ValidationError>> {
        let mut errors = Vec::new();
        // `problem`: the whole sentence, already in the language shown.
        let mut count = |field: &'static str, text: String, problem: &str| -> u32 {
            text.trim().parse().unwrap_or_else(|_| {
                errors.push(ValidationError { field, message: problem.to_owned() });
                0
            })
        };
        let frequency = if self.as_needed.get_untracked() {
            let max = self.max_per_day.get_untracked();
            let max_per_day = if max.trim().is_empty() {
                None
            } else {
                Some(count("frequency", max, t("The most per day must be a whole number.")))
            };
            Frequency::AsNeeded { max_per_day }
        } else {
            let scheduled = Frequency::Scheduled {
                times: count("frequency", self.times.get_untracked(), t("How many times must be a whole number.")),
                every: count("frequency", self.every.get_untracked(), t("How often must be a whole number.")),
                unit: PeriodUnit::from_ucum(&self.unit.get_untracked()).unwrap_or(PeriodUnit::Day),
            };
            // Times are checked against a count that reads.
            if !errors.is_empty() {
                scheduled
            } else {
                with_dose_times(scheduled, &self.clock.get_untracked()).unwrap_or_else(|e| {
                    errors.push(dose_times_problem(e));
                    Frequency::default()
                })
            }
        };
        let amount = self.dose_amount.get_untracked();
        let unit = self.dose_unit.get_untracked();
        let dose = if amount.trim().is_empty() && unit.trim().is_empty() {
            None
        } else {
            match parse_number(&amount) {
                Some(value) => Some(Quantity { value, unit }),
                None => {
                    errors.push(ValidationError {
                        field: "dose",
                        message: tf(
                            "The dose amount must be a number, like {whole} or {part}.",
                            &[("whole", &number(1.0)), ("part", &number(0.5))],
                        ),
                    });
                    None
                }
            }
        };
        let med = Medication {
            name: self.name.get_untracked(),
            strength: self.strength.get_untracked(),
            dose,
            // An imported frequency the form can only approximate survives an edit of something
            // else.
            frequency: if untouched_frequency { base.frequency.clone() } else { frequency },
            kind: MedicationKind::from_code(&self.kind.get_untracked()).unwrap_or(MedicationKind::Prescription),
            reason: self.reason.get_untracked(),
            ..base
        };
        match med.validated() {
            Ok(med) if errors.is_empty() => Ok(med),
            Ok(_) => Err(errors),
            // Core's own checks: whole sentences its catalogue entries translate.
            Err(more) => Err(errors
                .into_iter()
                .chain(more.into_iter().map(|e| ValidationError { message: t_text(&e.message), ..e }))
                .collect()),
        }
    }
}

#[component]
pub fn MedicationForm(
    initial: Option<Medication>,
    /// Saves the medication; answers the problems to show if the binder refused it.
    on_save: Callback<Medication, Result<(), Vec<ValidationError>>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let editing = initial.is_some();
    let fields = Fields::from(initial.as_ref());
    let shown_frequency = fields.frequency_fields();
    let base = StoredValue::new(initial.clone().unwrap_or_default());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let invalid = move |field: &'static str| move || errors.with(|e| e.iter().any(|e| e.field == field)).to_string();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let untouched = editing && fields.frequency_fields() == shown_frequency;
        let outcome = fields.to_medication(base.get_value(), untouched).and_then(|med| on_save.run(med));
        errors.set(outcome.err().unwrap_or_default());
    };

    view! {
        <form class="card medication-form" on:submit=submit novalidate>
            <h3>{if editing { t("Edit medication") } else { t("Add a medication") }}</h3>
            <Show when=move || errors.with(|e| !e.is_empty())>
                <div class="error" role="alert">
                    <p>{t("Please check:")}</p>
                    <ul>{move || errors.get().into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <label for="med-name">{t("Name")}</label>
            <input id="med-name" type="text" autocomplete="off" required aria-invalid=invalid("name") bind:value=fields.name/>
            <label for="med-strength">{t("Strength")}" "<span class="hint">{t("(as on the label, e.g. 500 mg)")}</span></label>
            <input id="med-strength" type="text" autocomplete="off" bind:value=fields.strength/>
            <fieldset>
                <legend>{t("Dose each time")}</legend>
                <div class="row">
                    <div>
                        <label for="med-dose-amount">{t("Amount")}</label>
                        <input id="med-dose-amount" type="text" inputmode="decimal" aria-invalid=invalid("dose") bind:value=fields.dose_amount/>
                    </div>
                    <div>
                        <label for="med-dose-unit">{t("Unit")}" "<span class="hint">{t("(tablet, mL, puff…)")}</span></label>
                        <input id="med-dose-unit" type="text" aria-invalid=invalid("dose") bind:value=fields.dose_unit/>
                    </div>
                </div>
            </fieldset>
            <fieldset>
                <legend>{t("How often")}</legend>
                <div class="choices">
                    <label><input type="radio" name="med-when" prop:checked=move || !fields.as_needed.get()
                        on:change=move |_| fields.as_needed.set(false)/>" "{t("On a schedule")}</label>
                    <label><input type="radio" name="med-when" prop:checked=move || fields.as_needed.get()
                        on:change=move |_| fields.as_needed.set(true)/>" "{t("Only as needed")}</label>
                </div>
                <Show when=move || !fields.as_needed.get()
                    fallback=move || view! {
                        <label for="med-max">{t("At most this many times a day")}" "<span class="hint">{t("(optional)")}</span></label>
                        <input id="med-max" type="number" min="1" inputmode="numeric" aria-invalid=invalid("frequency") bind:value=fields.max_per_day/>
                    }>
                    <div class="row">
                        <div>
                            <label for="med-times">{t("Times")}</label>
                            <input id="med-times" type="number" min="1" inputmode="numeric" aria-invalid=invalid("frequency") bind:value=fields.times/>
                        </div>
                        <div>
                            <label for="med-every">{t("Every")}</label>
                            <input id="med-every" type="number" min="1" inputmode="numeric" aria-invalid=invalid("frequency") bind:value=fields.every/>
                        </div>
                        <div>
                            <label for="med-unit">{t("Period")}</label>
                            <select id="med-unit" bind:value=fields.unit>
                                // Core's unit names (`msg!` there).
                                {PeriodUnit::ALL.map(|u| view! { <option value=u.ucum()>{t(u.label(1))}</option> })}
                            </select>
                        </div>
                    </div>
                    <label for="med-clock">{t("At these times")}" "<span class="hint">{t("(optional, for a daily medicine, e.g. 08:00, 14:00, 22:00)")}</span></label>
                    <input id="med-clock" type="text" autocomplete="off" aria-invalid=invalid("dose_times") bind:value=fields.clock/>
                </Show>
            </fieldset>
            <label for="med-kind">{t("Kind")}</label>
            <select id="med-kind" bind:value=fields.kind>
                {MedicationKind::ALL.map(|k| view! { <option value=k.code()>{t(k.label())}</option> })}
            </select>
            <label for="med-reason">{t("Reason")}" "<span class="hint">{t("(what it is for)")}</span></label>
            <input id="med-reason" type="text" bind:value=fields.reason/>
            <div class="actions">
                <button type="submit" class="primary">{t("Save medication")}</button>
                <button type="button" on:click=move |_| on_cancel.run(())>{t("Cancel")}</button>
            </div>
        </form>
    }
}
