using System.Reflection;
using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Tests.Architecture;

/// <summary>
/// Page forms bind as <c>[AsParameters]</c> input models (the request delegate generator binds no complex form type).
/// A property of such a model without <c>[FromForm]</c> would bind from the route or the query string instead, and a
/// handler would then accept a posted value from a link: every writable property must say it comes from the form.
/// </summary>
public sealed class FormBindingTests
{
    [Fact]
    public void EveryInputModelPropertyIsBoundFromTheForm()
    {
        var models = InputModels(typeof(HostingFeature).Assembly);
        Assert.True(models.Count >= 20, $"Only {models.Count} [AsParameters] input models found: the scan no longer sees the handlers.");
        var unbound = models.SelectMany(UnboundProperties).ToList();
        Assert.True(unbound.Count == 0, "Input model properties not bound from the form: " + string.Join(", ", unbound));
    }

    [Fact]
    public void APropertyWithoutFromFormIsReported()
    {
        Assert.Equal(["HalfBound.Query"], UnboundProperties(typeof(HalfBound)));
        Assert.Empty(UnboundProperties(typeof(FullyBound)));
    }

    private static List<Type> InputModels(Assembly assembly) =>
    [
        .. assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .SelectMany(method => method.GetParameters())
            .Where(parameter => parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            .Select(parameter => parameter.ParameterType)
            .Distinct(),
    ];

    private static IEnumerable<string> UnboundProperties(Type model) =>
        model.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(property => property.CanWrite && !property.GetCustomAttributes().OfType<IFromFormMetadata>().Any())
            .Select(property => $"{model.Name}.{property.Name}");

    private sealed record HalfBound
    {
        [FromForm]
        public string? Form { get; init; }

        public string? Query { get; init; }
    }

    private sealed record FullyBound
    {
        [FromForm]
        public string? Form { get; init; }

        public string Computed => Form ?? "";
    }
}
