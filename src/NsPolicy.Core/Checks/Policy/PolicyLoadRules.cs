using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Core.Yaml;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>The codes that loading a policy can emit, before any check runs.</summary>
public static class PolicyLoadRules
{
    public static readonly Rule Syntax = new(
        YamlTreeReader.SyntaxCode,
        Severity.Error,
        "The policy is not valid YAML",
        "The file could not be read as one YAML document: a syntax error, a tab used for indentation, text that is not UTF-8, an alias to an undefined anchor, or several documents. Nothing else is checked until it parses.");

    public static readonly Rule DuplicateKey = new(
        YamlTreeReader.DuplicateKeyCode,
        Severity.Error,
        "A key appears twice in one mapping",
        "YAML parsers disagree on which of two equal keys wins, so the policy would mean different things to different tools. Keep one.");

    public static readonly Rule Limit = new(
        YamlTreeReader.LimitCode,
        Severity.Error,
        "The policy exceeds a safety limit",
        "To stay fast and safe on hostile input, a policy may be at most 4 MiB, nest at most 64 levels, and grow by at most 100000 nodes through aliases. A real policy is far below these; split or simplify the file.");

    public static readonly Rule Empty = new(
        PolicyLoader.EmptyCode,
        Severity.Error,
        "The policy file is empty",
        "An empty policy states nothing, so nothing would be checked. Start from `nspolicy init` or the example in the README.");

    public static readonly Rule Version = new(
        PolicyLoader.VersionCode,
        Severity.Error,
        "The policy version is not supported",
        "This nspolicy reads policy language version 1. A policy for another version may mean something else; upgrade nspolicy or write `version: 1`.");

    public static readonly Rule Schema = new(
        PolicyLoader.SchemaCode,
        Severity.Error,
        "The policy does not match its schema",
        "A key is unknown or missing, or a value has the wrong type or form (schemas/nspolicy.schema.json; `nspolicy schema` prints it). Point your editor's YAML support at the schema to see these as you type.");

    public static readonly Rule NameInvalid = new(
        PolicyBinder.NameInvalidCode,
        Severity.Error,
        "A domain name is not valid",
        "A zone, nameserver or glue name breaks DNS rules: a label longer than 63 octets, a name longer than 255, an empty label, an internationalised name that cannot be converted to A-labels (IDNA), or a label that mixes Latin, Greek and Cyrillic letters (a Cyrillic а in exаmple.com looks like example.com but names another domain; Unicode TS #39). Correct the name.");

    public static readonly Rule AddressInvalid = new(
        PolicyBinder.AddressInvalidCode,
        Severity.Error,
        "An IP address is not valid",
        "A glue or resolver address is not a valid IPv4 or IPv6 address. Correct it.");

    public static IReadOnlyList<Rule> All { get; } = [Syntax, DuplicateKey, Limit, Empty, Version, Schema, NameInvalid, AddressInvalid];
}
