//! The open binder: one part at a time, chosen from a row of tabs (a phone screen cannot hold
//! twelve sections at once). Medicines and allergies come first: they are what a visit asks for;
//! then Today, the doses of the day.

use health_binder_core::forms::ListSection;
use health_binder_core::trends::Source;
use leptos::prelude::*;

use crate::components::{
    AllergyList, BackupPanel, BinderSwitcher, BuildCard, CalendarPanel, DoseReminder, ExportPanel, ImportPanel,
    MedicationList, OpenTasks, PaperPart, PeoplePanel, ProfileCard, RecoveryCodeCard, SectionList, SecurityPanel,
    ShareList, SharePanel, TaskList, TodayPart, TrendsPart, backup_is_due,
};
use crate::session::SessionState;

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Medicines,
    Today,
    AboutMe,
    CareTeam,
    History,
    Results,
    Appointments,
    Vitals,
    Notes,
    Share,
    Paper,
    Records,
    Security,
}

const PARTS: [(Part, &str); 13] = [
    (Part::Medicines, "Medicines & allergies"),
    (Part::Today, "Today"),
    (Part::AboutMe, "About me"),
    (Part::CareTeam, "Care team"),
    (Part::History, "History"),
    (Part::Results, "Results"),
    (Part::Appointments, "Appointments"),
    (Part::Vitals, "Vitals"),
    (Part::Notes, "Notes"),
    (Part::Share, "Share"),
    (Part::Paper, "Emergency & paper"),
    (Part::Records, "Import & export"),
    (Part::Security, "Security & backup"),
];

#[component]
pub fn BinderPage() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let part = RwSignal::new(Part::Medicines);
    let name = move || session.binder.with(|b| b.as_ref().map(|b| b.profile.name.clone()).unwrap_or_default());
    let tabs = PARTS
        .map(|(p, label)| {
            view! {
                <button type="button" aria-current=move || (part.get() == p).then_some("page")
                    on:click=move |_| part.set(p)>{label}</button>
            }
        })
        .collect_view();
    view! {
        <header class="topbar">
            <h1>{move || format!("{}'s health binder", name())}</h1>
            <button type="button" on:click=move |_| session.lock()>"Lock"</button>
        </header>
        <BinderSwitcher/>
        <nav class="tabs" aria-label="Parts of the binder">{tabs}</nav>
        {move || session.notice.get().map(|n| view! { <p class="notice" role="alert">{n.text()}</p> })}
        {move || (backup_is_due(session) && part.get() != Part::Security).then(|| view! {
            <p class="notice backup-due">
                "Changes since your last backup. "
                <button type="button" on:click=move |_| part.set(Part::Security)>"Back up now"</button>
            </p>
        })}
        {move || (part.get() != Part::Appointments).then(|| view! {
            <OpenTasks on_show=Callback::new(move |()| part.set(Part::Appointments))/>
        })}
        <DoseReminder/>
        <RecoveryCodeCard/>
        {move || match part.get() {
            Part::Medicines => view! { <AllergyList/><MedicationList/> }.into_any(),
            Part::Today => view! { <TodayPart/> }.into_any(),
            Part::AboutMe => view! { <ProfileCard/> }.into_any(),
            Part::CareTeam => view! { <SectionList section=ListSection::CareTeam/> }.into_any(),
            Part::History => view! {
                <SectionList section=ListSection::Conditions/>
                <SectionList section=ListSection::Procedures/>
                <SectionList section=ListSection::Immunizations/>
            }.into_any(),
            Part::Results => view! { <TrendsPart source=Source::Results/><SectionList section=ListSection::Results/> }.into_any(),
            Part::Appointments => {
                view! { <TaskList/><SectionList section=ListSection::Appointments/><CalendarPanel/> }.into_any()
            }
            Part::Vitals => view! { <TrendsPart source=Source::Vitals/><SectionList section=ListSection::Vitals/> }.into_any(),
            Part::Notes => view! { <TrendsPart source=Source::Notes/><SectionList section=ListSection::Notes/> }.into_any(),
            Part::Share => view! { <SharePanel/><ShareList/> }.into_any(),
            Part::Paper => view! { <PaperPart/> }.into_any(),
            Part::Records => view! { <ImportPanel/><ExportPanel/> }.into_any(),
            Part::Security => view! { <BackupPanel/><SecurityPanel/><PeoplePanel/><BuildCard/> }.into_any(),
        }}
    }
}
