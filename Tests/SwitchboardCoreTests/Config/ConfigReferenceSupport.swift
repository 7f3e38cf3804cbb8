import Testing
@testable import SwitchboardCore

/// Helpers for the tests of the README's configuration reference, one row at a time.
enum ConfigReference {
    /// A valid end of file, for tests that put the lines under test first so that they start at line 1.
    static let rest = """
        apps:
          demo:
            name: Demo
            message: "{otp} is your code"
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }
        """

    /// The app `demo` with `line` as its fifth line, then a valid rest of file.
    static func app(_ line: String) -> String {
        """
        apps:
          demo:
            name: Demo
            message: "{otp} is your code"
            \(line)
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }
        """
    }

    /// Every problem as `switchboard check` prints it: `test.yaml:LINE:COLUMN: message`.
    static func printed(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        configProblems(yaml, environment: environment).map(\.description)
    }
}
