using System.Globalization;

namespace NsPolicy.Core.Policy;

/// <summary>
/// A label that mixes Latin, Greek and Cyrillic letters can pass for another name: <c>exаmple</c>
/// with a Cyrillic а looks like <c>example</c> in a pull request's diff and in every report, yet
/// names another domain, which anyone may register. Registries refuse such labels (the
/// single-script rule of Unicode TS #39, §5.1), and so does the policy. Digits, the hyphen and
/// other scripts (Han with Hiragana, for instance) are not judged here.
/// </summary>
internal static class MixedScripts
{
    /// <summary>The first label of <paramref name="name"/> (as written, or decoded from an A-label) that mixes scripts, with the scripts; null when none does.</summary>
    public static (string Label, string Scripts)? Find(string name)
    {
        foreach (var written in name.Split('.'))
        {
            var label = written;
            if (label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    label = new IdnMapping().GetUnicode(label);
                }
                catch (ArgumentException)
                {
                    continue;
                }
            }

            var scripts = label.Select(ScriptOf).Where(s => s is not null).Distinct(StringComparer.Ordinal).ToList();
            if (scripts.Count > 1)
            {
                return (label, string.Join(" and ", scripts));
            }
        }

        return null;
    }

    private static string? ScriptOf(char c) => c switch
    {
        >= 'a' and <= 'z' or >= 'A' and <= 'Z' => "Latin",
        >= '\u00c0' and <= '\u024f' when char.IsLetter(c) => "Latin",
        >= '\u1e00' and <= '\u1eff' => "Latin",
        >= '\u0370' and <= '\u03ff' when char.IsLetter(c) => "Greek",
        >= '\u1f00' and <= '\u1fff' => "Greek",
        >= '\u0400' and <= '\u052f' => "Cyrillic",
        >= '\u1c80' and <= '\u1c8f' or >= '\u2de0' and <= '\u2dff' or >= '\ua640' and <= '\ua69f' => "Cyrillic",
        _ => null,
    };
}
