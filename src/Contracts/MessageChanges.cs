namespace EventChat.Contracts;

/// <summary>The kinds of <see cref="MessageChangeRequested"/>.</summary>
public static class MessageChanges
{
    public const string Edit = "edit";
    public const string Delete = "delete";
    public const string React = "react";
    public const string Unreact = "unreact";

    public static bool IsKnown(string change) => change is Edit or Delete or React or Unreact;
}
