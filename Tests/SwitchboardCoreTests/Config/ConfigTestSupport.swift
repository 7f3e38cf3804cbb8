import Testing
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

/// Checks that the YAML has exactly one problem, at this line and column, whose message says each fragment.
func expectOne(
    _ yaml: String, line: Int, column: Int, contains fragments: [String], environment: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let problems = configProblems(yaml, environment: environment)
    #expect(problems.count == 1, "expected one problem, got: \(problems)", sourceLocation: sourceLocation)
    guard let problem = problems.first else { return }
    #expect(problem.file == "test.yaml", sourceLocation: sourceLocation)
    #expect(problem.line == line && problem.column == column, "at \(problem.line):\(problem.column): \(problem.message)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(problem.message.contains(fragment), "\"\(problem.message)\" lacks \"\(fragment)\"", sourceLocation: sourceLocation)
    }
}

/// A valid configuration with one app, `demo`, whose last key is on line 6: `appLines` (indented
/// as its keys, four spaces) start on line 7, and `moreApps` follow them.
func configWithDemoApp(_ appLines: String, moreApps: String = "") -> String {
    """
    providers:
      default: { type: default }
    apps:
      demo:
        name: Demo
        message: "{otp} is your {app} code."
    \(appLines)
    \(moreApps)
    routes:
      - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [default] }
    """
}
