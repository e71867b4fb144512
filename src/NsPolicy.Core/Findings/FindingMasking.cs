using NsPolicy.Core.Secrets;

namespace NsPolicy.Core.Findings;

/// <summary>
/// Masks secrets in the text of findings before a reporter escapes it: once a format has escaped
/// a secret (Markdown writes <c>ghp_x</c> as <c>ghp\_x</c>, JSON may write <c>+</c> as <c>\u002B</c>),
/// the masker of the finished output no longer sees it.
/// </summary>
public static class FindingMasking
{
    public static IReadOnlyList<RatedFinding> Masked(this IReadOnlyList<RatedFinding> findings, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(masker);
        return masker.IsEmpty ? findings : [.. findings.Select(f => f.Masked(masker))];
    }

    public static RatedFinding Masked(this RatedFinding finding, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(masker);
        var f = finding.Finding;
        return finding with
        {
            Finding = f with
            {
                Location = f.Location with { File = masker.Apply(f.Location.File) },
                Message = masker.Apply(f.Message),
                Expected = f.Expected is null ? null : masker.Apply(f.Expected),
                Found = f.Found is null ? null : masker.Apply(f.Found),
            },
            Acknowledgement = finding.Acknowledgement is { } a ? a with { Reason = masker.Apply(a.Reason) } : null,
        };
    }
}
