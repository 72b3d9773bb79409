namespace FunctionsPortal.Tests.Fakes;

/// <summary>The Graph calls <see cref="GraphFake"/> understands; faults can target one of them.</summary>
public enum GraphFakeEndpoint
{
    /// <summary>POST /v1.0/users/{user}/messages.</summary>
    CreateDraft,

    /// <summary>POST /v1.0/users/{user}/messages/{id}/send.</summary>
    SendDraft,

    /// <summary>GET /v1.0/users/{user}/messages/{id}.</summary>
    GetMessage,

    /// <summary>POST /v1.0/users/{user}/sendMail.</summary>
    SendMail,

    /// <summary>Anything else (answered 400 BadRequest, as Graph does for an unknown segment).</summary>
    Other,
}
