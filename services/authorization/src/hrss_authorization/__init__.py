"""The authorization service: clerks of enterprises and the insurance relations granted to them."""
