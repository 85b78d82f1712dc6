"""The read models the rules stand on, kept from other services' events inside each handler's
transaction (``uow`` joins it): registered enterprises with their relations, clerks' grants."""

from __future__ import annotations

from hrss_business.domain import commands
from hrss_business.domain.cases import Relation
from hrss_business.service_layer.ports import UnitOfWork


def remember_enterprise(command: commands.RememberEnterprise, uow: UnitOfWork) -> None:
    relations = tuple(
        Relation(relation_id, command.enterprise_id, unit_no, insurance, agency)
        for relation_id, unit_no, insurance, agency in command.relations
    )
    with uow:
        uow.enterprises.remember(command.enterprise_id, command.uscc, command.name, relations)
        uow.commit()


def follow_key_info(command: commands.FollowKeyInfoChange, uow: UnitOfWork) -> None:
    with uow:
        uow.enterprises.follow_key_info(command.enterprise_id, command.uscc, command.name)
        uow.commit()


def follow_grants(command: commands.FollowGrants, uow: UnitOfWork) -> None:
    with uow:
        uow.grants.replace(command.clerk_id, command.relation_ids)
        uow.commit()
