namespace FunctionsPortal.Jobs;

/// <summary>Binds a function name (its folder and function.json) to the job class that runs it.</summary>
public sealed record FunctionJobRegistration(string FunctionName, Type JobType);
