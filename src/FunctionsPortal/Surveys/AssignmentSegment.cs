namespace FunctionsPortal.Surveys;

/// <summary>The vendor's tier, business category and internal owner as they were when the survey was created.</summary>
public sealed record AssignmentSegment(string Tier, string Category, string OwnerEmail, string OwnerName);
