package import SwitchboardCore

extension Alarms {
    /// Alarms on `clock` whose loop runs for the rest of the test process, for the rigs tests build
    /// without a scope to run it in (the daemon runs it as a service). Idle, the loop waits without
    /// a timer, so a clock the test moves sees no sleeper of it.
    package static func running(on clock: any SwitchboardClock = SystemClock()) -> Alarms {
        let alarms = Alarms(clock: clock)
        Task { await alarms.runUntilFinished() }
        return alarms
    }
}
