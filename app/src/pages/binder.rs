//! The open binder: one part at a time, chosen from a row of tabs (a phone screen cannot hold
//! twelve sections at once). Medicines and allergies come first: they are what a visit asks for;
//! then Today, the doses of the day.

use health_binder_core::forms::ListSection;
use health_binder_core::msg;
use health_binder_core::trends::Source;
use leptos::prelude::*;

use crate::components::{
    AllergyList, AppointmentReminders, BackupPanel, BinderSwitcher, BuildCard, CalendarPanel, DoseReminder,
    ExportPanel, ImportPanel, LockedReminderSync, MedicationList, OpenTasks, PaperPart, PeoplePanel, ProfileCard,
    RecoveryCodeCard, SectionList, SecurityPanel, ShareList, SharePanel, TaskList, TodayPart, TrendsPart, backup_is_due,
};
use crate::i18n::{t, t_text, tf};
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
    (Part::Medicines, msg!("Medicines & allergies")),
    (Part::Today, msg!("Today")),
    (Part::AboutMe, msg!("About me")),
    (Part::CareTeam, msg!("Care team")),
    (Part::History, msg!("History")),
    (Part::Results, msg!("Results")),
    (Part::Appointments, msg!("Appointments")),
    (Part::Vitals, msg!("Vitals")),
    (Part::Notes, msg!("Notes")),
    (Part::Share, msg!("Share")),
    (Part::Paper, msg!("Emergency & paper")),
    (Part::Records, msg!("Import & export")),
    (Part::Security, msg!("Security & backup")),
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
                    on:click=move |_| part.set(p)>{t(label)}</button>
            }
        })
        .collect_view();
    view! {
        <header class="topbar">
            <h1>{move || tf("{name}'s health binder", &[("name", &name())])}</h1>
            <button type="button" on:click=move |_| session.lock()>{t("Lock")}</button>
        </header>
        <BinderSwitcher/>
        <nav class="tabs" aria-label=t("Parts of the binder")>{tabs}</nav>
        {move || session.notice.get().map(|n| view! { <p class="notice" role="alert">{t_text(&n.text())}</p> })}
        {move || (backup_is_due(session) && part.get() != Part::Security).then(|| view! {
            <p class="notice backup-due">
                {t("Changes since your last backup.")}" "
                <button type="button" on:click=move |_| part.set(Part::Security)>{t("Back up now")}</button>
            </p>
        })}
        {move || (part.get() != Part::Appointments).then(|| view! {
            <OpenTasks on_show=Callback::new(move |()| part.set(Part::Appointments))/>
        })}
        <DoseReminder/>
        <AppointmentReminders/>
        <LockedReminderSync/>
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
