/// The provider types a configuration may name: the built-in ones and those defined by files in
/// `providers/`.
package struct ProviderCatalog: Sendable {
    /// Definitions by type name.
    package var definitions: [String: ProviderDefinition]

    package init(definitions: [ProviderDefinition] = []) {
        self.definitions = Dictionary(definitions.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every type name a provider instance may use, built-in first.
    package var typeNames: [String] {
        ProviderTypes.builtIn + definitions.keys.sorted()
    }
}
