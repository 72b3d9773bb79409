namespace FunctionsPortal.Jobs;

/// <summary>An invocation body or value the job cannot understand; answered with 400, never 500.</summary>
public sealed class InvalidInvocationException(string message) : Exception(message);
