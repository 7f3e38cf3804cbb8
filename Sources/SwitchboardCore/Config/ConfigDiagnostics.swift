/// Collects problems while one configuration file is read, so that all of them are reported at once.
///
/// A reference type because every node reader of one parse appends to the same list; it never
/// leaves the synchronous parse that made it, so it needs no locking.
final class ConfigDiagnostics {
    let file: String
    private(set) var problems: [ConfigProblem] = []

    init(file: String) {
        self.file = file
    }

    func report(_ message: String, line: Int, column: Int) {
        problems.append(ConfigProblem(file: file, line: line, column: column, message: message))
    }
}
