import Foundation
import SwitchboardXML
package import SwitchboardCore

extension ProviderCatalog {
    /// Reads every provider definition in a folder: each `TYPE.yaml` is one type, and other files
    /// (SOAP envelope templates) are what definitions refer to.
    ///
    /// Synchronous file reads: call it at start-up or from the command line, never while serving.
    /// - Parameter directory: The definitions folder, such as `providers`. A folder that does not
    ///   exist gives the built-in types only.
    /// - Throws: `ConfigError` with every problem of every file, each at its line and column.
    package static func load(directory: String) throws(ConfigError) -> ProviderCatalog {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory) else { return ProviderCatalog() }
        guard isDirectory.boolValue else {
            throw ConfigError(problems: [ConfigProblem(file: directory, line: 1, column: 1, message: "the provider definitions folder is a file, not a folder")])
        }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw ConfigError(problems: [ConfigProblem(file: directory, line: 1, column: 1, message: "cannot list the provider definitions folder: \(error.localizedDescription)")])
        }
        var texts: [String: (path: String, text: String)] = [:]
        var problems: [ConfigProblem] = []
        for name in names where !name.hasPrefix(".") && name != "README.md" {
            let path = (directory as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            do {
                texts[name] = (path, try String(contentsOfFile: path, encoding: .utf8))
            } catch {
                problems.append(ConfigProblem(file: path, line: 1, column: 1, message: "cannot read the file as UTF-8 text"))
            }
        }
        let catalog = parse(files: texts, problems: &problems)
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return catalog
    }

    /// Parses definition files already read: `*.yaml` files are types, the rest are templates.
    /// - Parameters:
    ///   - files: File name → (path for messages, text).
    ///   - problems: Where every problem found is added.
    package static func parse(files: [String: (path: String, text: String)], problems: inout [ConfigProblem]) -> ProviderCatalog {
        var definitions: [ProviderDefinition] = []
        for name in files.keys.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            guard let file = files[name] else { continue }
            let type = String(name.prefix(upTo: name.lastIndex(of: ".") ?? name.endIndex))
            if ProviderTypes.builtIn.contains(type) {
                problems.append(ConfigProblem(file: file.path, line: 1, column: 1, message: "'\(type)' is a built-in provider type; name the file otherwise"))
                continue
            }
            do {
                let definition = try ProviderDefinitionParser.parse(yaml: file.text, type: type, file: file.path, templates: files)
                if let problem = envelopeProblem(definition, files: files) {
                    problems.append(problem)
                } else {
                    definitions.append(definition)
                }
            } catch {
                problems += error.problems
            }
        }
        return ProviderCatalog(definitions: definitions)
    }

    /// An XML body template must be well-formed once its placeholders are filled, or every send
    /// would be refused by the provider; say so at start-up, at the template's line.
    private static func envelopeProblem(_ definition: ProviderDefinition, files: [String: (path: String, text: String)]) -> ConfigProblem? {
        guard case .xml(let template, let name, _) = definition.request.body else { return nil }
        var values = ProviderValues()
        for variable in template.variables { values[variable] = "x" }
        guard let text = try? template.render(values, escape: XMLEscaping.text) else { return nil }
        do {
            _ = try SafeXMLDocument(parsing: text)
            return nil
        } catch {
            let line: Int = if case .malformed(let line, _) = error { line } else { 1 }
            return ConfigProblem(file: files[name]?.path ?? name, line: line, column: 1, message: "the template is not well-formed XML: \(error)")
        }
    }
}
