@testable import SwitchboardCore

/// Parses YAML that is expected to be valid.
func parseConfig(_ yaml: String, environment: [String: String] = [:]) throws -> SwitchboardConfig {
    try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: environment)
}

/// The problems of YAML that is expected to be invalid (none when it parses).
func configProblems(_ yaml: String, environment: [String: String] = [:]) -> [ConfigProblem] {
    do {
        _ = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: environment)
        return []
    } catch {
        return error.problems
    }
}

/// A small valid configuration; tests append to or alter it.
let minimalProviders = """
    providers:
      default: { type: default }
    """
