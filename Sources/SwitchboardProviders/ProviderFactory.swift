package import SwitchboardCore

/// Builds the provider instances a configuration names.
package enum ProviderFactory {
    /// - Parameters:
    ///   - settings: The `providers:` section.
    ///   - inbox: Where the default provider keeps messages.
    package static func makeProviders(_ settings: [ProviderSettings], inbox: any InboxStore) -> [any SMSProvider] {
        settings.map { provider in
            switch provider.type {
            default:
                // Only the built-in type exists yet; config validation refuses any other.
                DefaultProvider(name: provider.name, inbox: inbox)
            }
        }
    }
}
