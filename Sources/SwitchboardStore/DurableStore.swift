package import ServiceLifecycle
package import SwitchboardCore

/// A store the daemon and the commands run on, whichever database holds it: every kind of state,
/// and its lifecycle (the services that run it and close it at graceful shutdown, or ``close()`` by hand).
package protocol DurableStore: MessageStore, InboxStore, UserStore, OTPStore, SecretStore, SessionStore, SendBudgetStore, PrefixVelocityStore, ConversionStore, WebhookStore, Service {
    /// What runs the store in the daemon's service group, in dependency order: the store itself,
    /// or (PostgreSQL) its connection pool first.
    var services: [any Service] { get }
    /// Finishes what is under way and releases the database. Closing twice is harmless.
    func close() async throws
}

extension SQLiteStore: DurableStore {
    package var services: [any Service] { [self] }
}
