using System.Diagnostics.CodeAnalysis;

namespace FunctionsPortal.Evidence;

/// <summary>The outcome of an upload: the stored file, or a refusal to show the vendor (a refusal is an answer, not an error).</summary>
public sealed record EvidenceUpload
{
    private EvidenceUpload(EvidenceFile? file, EvidenceRefusal? refusal)
    {
        File = file;
        Refusal = refusal;
    }

    [MemberNotNullWhen(true, nameof(File))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Stored => File is not null;

    public EvidenceFile? File { get; }

    public EvidenceRefusal? Refusal { get; }

    public static EvidenceUpload Success(EvidenceFile file) => new(file ?? throw new ArgumentNullException(nameof(file)), null);

    public static EvidenceUpload Refused(EvidenceRefusal refusal) => new(null, refusal ?? throw new ArgumentNullException(nameof(refusal)));
}
