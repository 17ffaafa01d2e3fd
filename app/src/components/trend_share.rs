//! The share form's choice of trends: a weight or blood-pressure trend, in words and numbers, as a
//! section of its own in the shared document (`core::ips`'s trend section). Offered only for the
//! series that have a trend (two readings or more).

use health_binder_core::msg;
use health_binder_core::trends::{VitalKind, vital_trend};
use leptos::prelude::*;

use crate::i18n::t;
use crate::session::SessionState;

/// The trends a share can carry.
const SHAREABLE: [(VitalKind, &str); 2] =
    [(VitalKind::Weight, msg!("Weight trend")), (VitalKind::BloodPressure, msg!("Blood pressure trend"))];

#[component]
pub fn TrendChoices(chosen: RwSignal<Vec<VitalKind>>) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let available = move || {
        session.binder.with(|b| {
            let Some(b) = b.as_ref() else { return Vec::new() };
            SHAREABLE.into_iter().filter(|(kind, _)| vital_trend(b, *kind).is_some()).collect::<Vec<_>>()
        })
    };
    let toggle = move |kind: VitalKind| {
        chosen.update(|c| {
            if c.contains(&kind) {
                c.retain(|k| *k != kind);
            } else {
                c.push(kind);
            }
        })
    };
    move || {
        let available = available();
        (!available.is_empty()).then(|| view! {
            <fieldset>
                <legend>{t("Trends to include")}</legend>
                <p class="hint">{t("Its summary in words and the table of its readings, whether or not vital signs are shared.")}</p>
                <div class="choices">
                    {available.into_iter().map(|(kind, label)| view! {
                        <label><input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&kind))
                            on:change=move |_| toggle(kind)/>" " {t(label)}</label>
                    }).collect_view()}
                </div>
            </fieldset>
        })
    }
}
